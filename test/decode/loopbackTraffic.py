"""Real IPv6 traffic over ::1 for the decoder's live-capture test (no stored capture has IPv6).

Usage: python3 loopbackTraffic.py PORT   (uses PORT .. PORT+4)
"""
import socket, struct, sys, time, threading
port = int(sys.argv[1])
# IPv6 TCP over ::1 with a few data segments.
srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('::1', port)); srv.listen(1)
def serve():
    c, _ = srv.accept(); data = c.recv(65536); c.sendall(b'pong ' * 300); c.close()
t = threading.Thread(target=serve); t.start()
cl = socket.create_connection(('::1', port)); cl.sendall(b'ping ' * 20); cl.recv(65536); time.sleep(0.05); cl.close(); t.join(); srv.close()
# IPv6 UDP to a closed port: the kernel answers with ICMPv6 port unreachable.
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.sendto(b'x' * 33, ('::1', port + 1))
# IPv6 UDP with hop-by-hop and destination options headers (PadN options).
h = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
h.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
h.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, bytes([0, 1, 1, 12] + [0] * 12))
h.sendto(b'y' * 20, ('::1', port + 2))
# IPv6 UDP fragmented: the largest datagram IPv6 allows (65,527 bytes) exceeds lo's 65,536 MTU.
f = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); f.sendto(b'z' * 65527, ('::1', port + 3))
# ICMPv6 echo request; the kernel replies.
e = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
e.sendto(struct.pack('!BBHHH', 128, 0, 0, 0x4e47, 1) + b'netguard', ('::1', 0))
time.sleep(0.1)
