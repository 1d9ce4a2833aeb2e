package sandbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"syscall"
)

// A Netns is one more network namespace, made inside the one the process runs
// in, for tests that need a network of several hosts or interfaces: a veth
// pair (Veth) joins two of them as two hosts on one Ethernet link. The
// process's own namespace is left as it was, so InSandbox stays true for the
// other tests.
//
// A namespace belongs to the threads that entered it, not to the process, so
// a Netns is held by one OS thread that never runs anything else, and Do runs
// code on that thread. What must happen inside is what depends on the
// calling thread's namespace: opening sockets (a socket stays in the namespace
// it was opened in, whichever goroutine uses it later), looking interfaces up
// (net.Interfaces, net.InterfaceByName, Interface.Addrs), and reading
// /proc/thread-self/net/. Goroutines started inside Do run on other threads,
// in the process's namespace.
//
// Making a namespace needs CAP_SYS_ADMIN over the current one, which the
// process has inside a sandbox (it is root of the sandbox's user namespace)
// and usually not outside: there NewNetns fails with EPERM. The namespace
// and everything in it (interfaces, addresses, routes) disappear once it is
// closed and the last socket opened inside it is closed.
type Netns struct {
	work chan func()
	done chan struct{}
}

// NewNetns makes a network namespace with lo up and nothing else: no other
// interface, no address but lo's, no route. The caller must Close it.
func NewNetns() (*Netns, error) {
	n := &Netns{work: make(chan func()), done: make(chan struct{})}
	errc := make(chan error, 1)
	go n.run(errc)
	if err := <-errc; err != nil {
		<-n.done
		return nil, err
	}
	return n, nil
}

// run is the namespace's thread: it enters a new namespace and runs what Do
// sends it until Close. It never unlocks the thread, so the runtime ends the
// thread, and with it the thread's hold on the namespace, when run returns.
func (n *Netns) run(errc chan<- error) {
	runtime.LockOSThread()
	if syscall.Gettid() == syscall.Getpid() {
		// The main thread: the runtime never ends it, and /proc/self
		// shows its namespace as the process's. Hold it while the work
		// starts again on a goroutine that therefore gets another thread.
		started := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			close(started)
			n.run(errc)
		}()
		<-started
		runtime.UnlockOSThread()
		return
	}
	defer close(n.done)
	if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
		errc <- fmt.Errorf("sandbox: new network namespace: %w", err)
		return
	}
	err := func() error {
		lo, err := net.InterfaceByName("lo")
		if err != nil {
			return err
		}
		r, err := openRTNL()
		if err != nil {
			return err
		}
		defer r.Close()
		return r.linkUp(lo.Index)
	}()
	if err != nil {
		errc <- fmt.Errorf("sandbox: new network namespace: lo up: %w", err)
		return
	}
	errc <- nil
	for f := range n.work {
		f()
	}
}

// Do runs f on the namespace's thread and returns when f has returned. Calls
// from several goroutines run one at a time. f must not call Do of the same
// Netns.
func (n *Netns) Do(f func()) {
	finished := make(chan struct{})
	n.work <- func() {
		defer close(finished)
		f()
	}
	<-finished
}

// Close ends the namespace's thread and waits for it. Sockets opened inside
// stay usable until they are closed; the namespace goes with the last of
// them. Close must be called once, when no Do is running.
func (n *Netns) Close() {
	close(n.work)
	<-n.done
}

// AddAddr gives the interface ifname of the namespace the address and prefix
// length of p, as "ip addr add P dev IFNAME" does, and brings the interface
// up. Addresses on a test link should come from a block that is never routed
// anywhere, such as 192.0.2.0/24 (TEST-NET-1, RFC 5737).
func (n *Netns) AddAddr(ifname string, p netip.Prefix) error {
	return n.rtnl(func(r *rtnl) error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		if !p.Addr().Is4() {
			return fmt.Errorf("address %v: not IPv4", p)
		}
		if err := r.addAddr(ifi.Index, p); err != nil {
			return fmt.Errorf("add address %v to %s: %w", p, ifname, err)
		}
		if err := r.linkUp(ifi.Index); err != nil {
			return fmt.Errorf("bring %s up: %w", ifname, err)
		}
		return nil
	})
}

// AddRoute routes the IPv4 prefix dst through the interface ifname of the
// namespace, as "ip route add DST dev IFNAME" does: AddRoute(224.0.0.0/4,
// "v0") makes v0 the interface of multicast sends that name none.
func (n *Netns) AddRoute(dst netip.Prefix, ifname string) error {
	return n.rtnl(func(r *rtnl) error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		ipnet := &net.IPNet{IP: net.IP(dst.Masked().Addr().AsSlice()), Mask: net.CIDRMask(dst.Bits(), 32)}
		if err := r.addLinkRoute(ipnet, ifi.Index); err != nil {
			return fmt.Errorf("add route %v dev %s: %w", dst, ifname, err)
		}
		return nil
	})
}

// rtnl runs f with a route netlink socket opened inside the namespace.
func (n *Netns) rtnl(f func(r *rtnl) error) error {
	var err error
	n.Do(func() {
		var r *rtnl
		if r, err = openRTNL(); err != nil {
			return
		}
		defer r.Close()
		err = f(r)
	})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}

// Veth joins two namespaces with a veth pair, a virtual Ethernet cable: the
// interface aName in a and bName in b, each with the address given (see
// AddAddr) and up. A datagram sent out of one end arrives on the other, and
// multicast works on both (they have IFF_MULTICAST, unlike lo).
func Veth(a *Netns, aName string, aAddr netip.Prefix, b *Netns, bName string, bAddr netip.Prefix) error {
	if a == b {
		return errors.New("sandbox: veth: both ends in one namespace")
	}
	var fd int
	var err error
	b.Do(func() { fd, err = syscall.Open("/proc/thread-self/ns/net", syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return fmt.Errorf("sandbox: veth: open the peer's namespace: %w", err)
	}
	defer syscall.Close(fd)
	if err := a.rtnl(func(r *rtnl) error { return r.addVeth(aName, bName, fd) }); err != nil {
		return fmt.Errorf("veth %s-%s: %w", aName, bName, err)
	}
	if err := a.AddAddr(aName, aAddr); err != nil {
		return err
	}
	return b.AddAddr(bName, bAddr)
}

// Route netlink constants that the syscall package does not name.
const (
	iflaInfoKind = 1  // IFLA_INFO_KIND, in IFLA_LINKINFO
	iflaInfoData = 2  // IFLA_INFO_DATA, in IFLA_LINKINFO
	vethInfoPeer = 1  // VETH_INFO_PEER, in IFLA_INFO_DATA of a veth
	iflaNetNSFD  = 28 // IFLA_NET_NS_FD
	nlaFNested   = 1 << 15
)

// addVeth creates the veth pair name (here) and peer (in the namespace of the
// file descriptor peerNS), like "ip link add NAME type veth peer name PEER
// netns NS".
func (r *rtnl) addVeth(name, peer string, peerNS int) error {
	ifinfo := make([]byte, syscall.SizeofIfInfomsg) // AF_UNSPEC, no index, no flags
	peerMsg := appendAttr(slicesClone(ifinfo), syscall.IFLA_IFNAME, cstring(peer))
	peerMsg = appendAttr(peerMsg, iflaNetNSFD, binary.NativeEndian.AppendUint32(nil, uint32(peerNS)))
	data := appendAttr(nil, vethInfoPeer|nlaFNested, peerMsg)
	info := appendAttr(nil, iflaInfoKind, cstring("veth"))
	info = appendAttr(info, iflaInfoData|nlaFNested, data)
	body := appendAttr(ifinfo, syscall.IFLA_IFNAME, cstring(name))
	body = appendAttr(body, syscall.IFLA_LINKINFO|nlaFNested, info)
	return r.do(syscall.RTM_NEWLINK, syscall.NLM_F_CREATE|syscall.NLM_F_EXCL, body)
}

// addAddr adds the IPv4 address p to the interface with index ifindex, like
// "ip addr add P dev IFNAME".
func (r *rtnl) addAddr(ifindex int, p netip.Prefix) error {
	body := make([]byte, syscall.SizeofIfAddrmsg)
	body[0] = syscall.AF_INET           // ifa_family
	body[1] = byte(p.Bits())            // ifa_prefixlen
	body[3] = syscall.RT_SCOPE_UNIVERSE // ifa_scope
	binary.NativeEndian.PutUint32(body[4:8], uint32(ifindex))
	ip := p.Addr().AsSlice()
	body = appendAttr(body, syscall.IFA_LOCAL, ip)
	body = appendAttr(body, syscall.IFA_ADDRESS, ip)
	return r.do(syscall.RTM_NEWADDR, syscall.NLM_F_CREATE|syscall.NLM_F_EXCL, body)
}

func cstring(s string) []byte { return append([]byte(s), 0) }

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }
