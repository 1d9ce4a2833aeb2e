package sandbox

import (
	"encoding/binary"
	"fmt"
	"net"
	"syscall"
)

// This file configures the network of a fresh namespace over rtnetlink: it
// brings an interface up and adds a link-scope route. Each request asks for an
// acknowledgement, and the kernel's answer is checked.

// netlinkTimeout bounds the wait for the kernel's acknowledgement.
const netlinkTimeout = 5

// rtnl is a NETLINK_ROUTE socket that sends one request at a time.
type rtnl struct {
	fd  int
	seq uint32
}

func openRTNL() (*rtnl, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, syscall.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	tv := syscall.Timeval{Sec: netlinkTimeout}
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("netlink timeout: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return &rtnl{fd: fd}, nil
}

func (r *rtnl) Close() error { return syscall.Close(r.fd) }

// do sends one request of type typ with body (an aligned header followed by
// attributes) and waits for the kernel's acknowledgement. A negative error code
// in the answer comes back as the matching syscall.Errno.
func (r *rtnl) do(typ uint16, flags uint16, body []byte) error {
	r.seq++
	msg := make([]byte, syscall.NLMSG_HDRLEN, syscall.NLMSG_HDRLEN+len(body))
	binary.NativeEndian.PutUint32(msg[0:4], uint32(syscall.NLMSG_HDRLEN+len(body)))
	binary.NativeEndian.PutUint16(msg[4:6], typ)
	binary.NativeEndian.PutUint16(msg[6:8], flags|syscall.NLM_F_REQUEST|syscall.NLM_F_ACK)
	binary.NativeEndian.PutUint32(msg[8:12], r.seq)
	msg = append(msg, body...)
	if err := syscall.Sendto(r.fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return fmt.Errorf("netlink send: %w", err)
	}
	buf := make([]byte, 8192)
	for {
		n, from, err := syscall.Recvfrom(r.fd, buf, 0)
		if err != nil {
			return fmt.Errorf("netlink receive: %w", err)
		}
		if sa, ok := from.(*syscall.SockaddrNetlink); !ok || sa.Pid != 0 {
			continue // not from the kernel
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return fmt.Errorf("netlink parse: %w", err)
		}
		for _, m := range msgs {
			if m.Header.Seq != r.seq || m.Header.Type != syscall.NLMSG_ERROR {
				continue
			}
			if len(m.Data) < 4 {
				return fmt.Errorf("netlink: short acknowledgement")
			}
			if code := int32(binary.NativeEndian.Uint32(m.Data[0:4])); code != 0 {
				return syscall.Errno(-code)
			}
			return nil
		}
	}
}

// linkUp sets IFF_UP on the interface with index ifindex (RTM_NEWLINK with the
// flag in both flags and change mask), like "ip link set dev lo up".
func (r *rtnl) linkUp(ifindex int) error {
	body := make([]byte, syscall.SizeofIfInfomsg)
	body[0] = syscall.AF_UNSPEC
	binary.NativeEndian.PutUint32(body[4:8], uint32(ifindex))
	binary.NativeEndian.PutUint32(body[8:12], syscall.IFF_UP)  // ifi_flags
	binary.NativeEndian.PutUint32(body[12:16], syscall.IFF_UP) // ifi_change
	return r.do(syscall.RTM_NEWLINK, 0, body)
}

// addLinkRoute adds dst as a link-scope unicast route through the interface
// with index ifindex in the main table, like "ip route add 224.0.0.0/4 dev lo".
// It fails with EEXIST if the route is already there.
func (r *rtnl) addLinkRoute(dst *net.IPNet, ifindex int) error {
	ip4 := dst.IP.To4()
	ones, bits := dst.Mask.Size()
	if ip4 == nil || bits != 32 {
		return fmt.Errorf("route %v: not an IPv4 prefix", dst)
	}
	body := make([]byte, syscall.SizeofRtMsg)
	body[0] = syscall.AF_INET       // rtm_family
	body[1] = byte(ones)            // rtm_dst_len
	body[4] = syscall.RT_TABLE_MAIN // rtm_table
	body[5] = syscall.RTPROT_BOOT   // rtm_protocol
	body[6] = syscall.RT_SCOPE_LINK // rtm_scope
	body[7] = syscall.RTN_UNICAST   // rtm_type
	body = appendAttr(body, syscall.RTA_DST, ip4)
	oif := binary.NativeEndian.AppendUint32(nil, uint32(ifindex))
	body = appendAttr(body, syscall.RTA_OIF, oif)
	return r.do(syscall.RTM_NEWROUTE, syscall.NLM_F_CREATE|syscall.NLM_F_EXCL, body)
}

// appendAttr appends a route attribute, padded to the netlink alignment.
func appendAttr(b []byte, typ uint16, data []byte) []byte {
	n := syscall.SizeofRtAttr + len(data)
	b = binary.NativeEndian.AppendUint16(b, uint16(n))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, data...)
	for len(b)%syscall.RTA_ALIGNTO != 0 {
		b = append(b, 0)
	}
	return b
}
