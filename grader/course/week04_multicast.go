package course

// week04Basic is multicast group membership: join, receive, leave, send.
var week04Basic = Lab{
	Week:      4,
	Kind:      Basic,
	Title:     "multicast group membership",
	Package:   "weeks/week04/multicast",
	Files:     []string{"multicast.go"},
	TestFiles: []string{"group_test.go", "member_test.go", "sender_test.go", "iface_test.go", "resources_test.go", "helpers_test.go", "scripts_test.go"},
	Checks: []Check{
		// Pure functions.
		{ID: "w04.basic.group", Name: "only 239.0.0.0/8 groups are accepted", Test: "TestCheckGroup", Points: 5,
			Hint: "Test the first byte of ip.To4() (net.ParseIP gives 16 bytes) against 239; refuse everything else, IPv6 and nil included, with an error wrapping ErrNotAdminScoped that names the address."},
		{ID: "w04.basic.mac", Name: "a group's Ethernet MAC address", Test: "TestEthernetAddr", Points: 6,
			Hint: "01:00:5e, then the low 23 bits of the group: the second byte & 0x7f, the third and fourth as they are. Only 224.0.0.0/4 has one (ErrNotMulticast otherwise)."},
		// The Member, tested with the tests' own sender.
		{ID: "w04.basic.receive", Name: "a member receives its group's datagrams", Test: "TestReceive", Points: 8,
			Hint: "Join the group on the interface with IP_ADD_MEMBERSHIP, read with ReadFromUDP into a 64 KiB buffer, and return a copy of the n bytes (an empty datagram too) with the sender's address."},
		{ID: "w04.basic.two_members", Name: "two members of one group both receive", Test: "TestTwoMembers", Points: 7,
			Hint: `Set SO_REUSEADDR before the bind (net.ListenConfig's Control), or the second member on the same port fails with "address already in use".`},
		{ID: "w04.basic.non_member", Name: "non-members receive nothing", Test: "TestNonMember", Points: 8,
			Hint: "A socket bound to 0.0.0.0 gets, on Linux, every group that anyone on the host joined on its port: set IP_MULTICAST_ALL (ipMulticastAll) to 0 on the member's socket."},
		{ID: "w04.basic.leave", Name: "leaving stops delivery", Test: "TestLeave", Points: 8,
			Hint: "Leave must drop the membership with IP_DROP_MEMBERSHIP and the same IPMreq as the join, keep the socket open, and do nothing the second time."},
		{ID: "w04.basic.stop", Name: "Receive stops on its context and on Close", Test: "TestReceiveStops", Points: 7,
			Hint: "Wake the blocked read with a deadline in the past when ctx ends (context.AfterFunc), return ctx.Err(), and clear the deadline at the start of the next Receive."},
		// The Sender, tested with the tests' own member.
		{ID: "w04.basic.send", Name: "a sender reaches the group's members", Test: "TestSend", Points: 8,
			Hint: "Bind the sending socket to the interface's IPv4 address, set IP_MULTICAST_IF, send each payload as one datagram with WriteToUDP, and refuse more than MaxPayload bytes (ErrTooLong) without sending."},
		{ID: "w04.basic.ttl_default", Name: "datagrams leave with TTL 1 by default", Test: "TestDefaultTTL", Points: 5,
			Hint: "Leave the multicast TTL at the kernel's default of 1, and make TTL() read IP_MULTICAST_TTL back from the socket (IP_TTL is the unicast one: 64)."},
		{ID: "w04.basic.ttl_set", Name: "SetTTL changes the TTL on the wire", Test: "TestSetTTL", Points: 5,
			Hint: "Set IP_MULTICAST_TTL, not IP_TTL (which multicast ignores), and refuse values outside 0–255 yourself with ErrBadTTL: Linux takes -1 as \"the default\"."},
		// Interfaces, refusals, resources and concurrency.
		{ID: "w04.basic.join_iface", Name: "a member joins on the interface it is given", Test: "TestJoinInterface", Points: 6,
			Hint: "Put the interface's first IPv4 address in the IPMreq (a nil interface: 0.0.0.0, the routing table's choice), take the group's 4-byte form (To4: net.ParseIP gives 16 bytes), and drop the membership with the same IPMreq. If w04.basic.group fails too, fix CheckGroup first: Join refuses what it refuses."},
		{ID: "w04.basic.send_iface", Name: "a sender sends through the interface it is given", Test: "TestSendInterface", Points: 5,
			Hint: "Bind the Sender's socket to the interface's first IPv4 address and set IP_MULTICAST_IF to it; with a nil interface bind 0.0.0.0 and let the routing table choose. Do not fall back to lo. If w04.basic.group fails too, fix CheckGroup first: Dial refuses what it refuses."},
		{ID: "w04.basic.refuse", Name: "refused groups and interfaces leave nothing open", Test: "TestRefuse", Points: 3,
			Hint: "Join and Dial check the group (a nil one too) with CheckGroup before opening anything, name the group in every other error, and close what they opened when a later step fails. A wrong CheckGroup (w04.basic.group) fails this check too."},
		{ID: "w04.basic.fds", Name: "no descriptor left behind by Join, Dial and Close", Test: "TestDescriptors", Points: 3,
			Hint: "Close must close the socket, and a descriptor you make for a socket option (conn.File() duplicates it) must be closed too: use SyscallConn's Control instead."},
		{ID: "w04.basic.concurrent", Name: "Member and Sender used from several goroutines", Test: "TestConcurrent", Points: 5, Race: true,
			Hint: "Leave, Close and Group may run while Receive waits, and a Sender's methods at once: guard the joined flag with the mutex across the check and the drop, and keep no unguarded state (the TTL is the socket's, read it back)."},
		// The programs.
		{ID: "w04.basic.cli_receive", Name: "two mclisten hear mcsend", Test: "TestScripts/cli_receive", Points: 5,
			Hint: "Both listeners must get both datagrams. mclisten -group 239.255.4.1:0 writes Group() to its -addrfile, so Group must report the port the socket was bound to, not the 0 it was given."},
		{ID: "w04.basic.cli_bad_group", Name: "the programs refuse groups outside 239/8", Test: "TestScripts/cli_bad_group", Points: 3,
			Hint: "Join and Dial must call CheckGroup before opening anything and return its error, so the programs print it and exit 1."},
		{ID: "w04.basic.cli_shutdown", Name: "mclisten leaves and stops on SIGINT", Test: "TestScripts/cli_shutdown", Points: 3,
			Hint: "On SIGINT the context ends: Receive must return ctx.Err() itself (context.Canceled), not a timeout error, so that mclisten leaves, logs and exits 0."},
	},
}
