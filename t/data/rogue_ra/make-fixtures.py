#!/usr/bin/python3
"""Writes the hex fixtures of this directory (run from the repository root
with Debian's /usr/bin/python3, which has scapy). Each file: a comment, the
expected verdict of ra_parse ("# expect: ok prefixes=1 ..." or the error
name), then the ICMPv6 message in hex. t/unit/test_rogue_ra replays them;
they are also the seed corpus of a fuzz target."""
import logging
logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import *  # noqa: F403
D='t/data/rogue_ra'
def hx(b): 
    h=b.hex()
    return "\n".join(" ".join(h[i+j:i+j+2] for j in range(0,32,2) if i+j<len(h)) for i in range(0,len(h),32))
def w(name, expect, desc, b):
    with open(f"{D}/{name}.hex","w") as f:
        f.write(f"# {desc}\n# expect: {expect}\n{hx(b)}\n")
def ra(*opts, **kw):
    p = ICMPv6ND_RA(chlim=64, M=kw.get('M',0), O=kw.get('O',0), prf=kw.get('prf',0), routerlifetime=kw.get('lt',1800), reachabletime=0, retranstimer=0)
    for o in opts: p = p/o
    return bytes(p)
slla = ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:01")
pfx = ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400, preferredlifetime=14400, prefix="2001:db8:1a::")
mtu = ICMPv6NDOptMTU(mtu=1500)
w("good-basic","ok fe80 1800 prefixes=1 mtu=1500 lladdr=02:00:00:00:00:01","radvd-like RA: SLLA, one /64, MTU", ra(slla,pfx,mtu))
w("good-all","ok prefixes=2 rdnss=2 routes=2 dnssl=lab.test,example.org","every option we read, M and O set, high preference",
  ra(slla, pfx, ICMPv6NDOptPrefixInfo(prefixlen=48, L=1, A=1, prefix="2001:db8:bad::"), mtu,
     ICMPv6NDOptRDNSS(lifetime=600, dns=["2001:db8:1a::53","2001:db8:1a::54"]),
     ICMPv6NDOptDNSSL(lifetime=600, searchlist=["lab.test","example.org"]),
     ICMPv6NDOptRouteInfo(plen=0, prf=1, rtlifetime=600),
     ICMPv6NDOptRouteInfo(plen=56, prf=3, rtlifetime=600, prefix="2001:db8:ff00::"),
     ICMPv6NDOptUnknown(type=200, len=1, data=b"\0"*6), M=1, O=1, prf=1))
w("good-bare","ok prefixes=0","an RA with no options at all, router lifetime 0", ra(lt=0))
w("short","short","15 bytes: one short of the RA header", ra()[:15])
w("empty","short","no bytes at all", b"")
w("zero-len","opt_zero_len","an option of length 0 after the SLLA (RFC 4861 4.6: discard)", ra(slla)+b"\x03\x00"+b"\0"*30)
w("overrun","opt_overrun","a prefix option claiming 4 units with 2 present", ra(slla)+bytes(pfx)[:16])
w("overrun-lastbyte","opt_overrun","one stray byte after the last option", ra(slla)+b"\x05")
w("overrun-len255","opt_overrun","an option of 255 units in a short packet", ra(slla)+b"\x01\xff"+b"\0"*6)
w("prefix-len3","opt_bad_len","prefix information with length 3 (must be 4)", ra(slla)+b"\x03\x03"+bytes(pfx)[2:24])
w("prefix-len5","opt_bad_len","prefix information with length 5", ra(slla)+b"\x03\x05"+bytes(pfx)[2:]+b"\0"*8)
w("mtu-len2","opt_bad_len","MTU option with length 2 (must be 1)", ra(slla)+b"\x05\x02"+b"\0\0\0\0\x05\xdc"+b"\0"*8)
w("rdnss-len2","opt_bad_len","RDNSS with length 2 (must be odd, >= 3)", ra(slla)+b"\x19\x02"+b"\0"*14)
w("rdnss-len4","opt_bad_len","RDNSS with length 4 (must be odd)", ra(slla)+b"\x19\x04"+b"\0"*30)
w("route-len1-plen64","opt_bad_len","route information of length 1 with a /64", ra(slla)+b"\x18\x01\x40\x08\0\0\x02\x58")
w("route-len4","opt_bad_len","route information of length 4", ra(slla)+b"\x18\x04\x40\x08\0\0\x02\x58"+b"\0"*24)
w("prefix-plen129","opt_bad_content","a prefix length of 129", ra(slla)+b"\x03\x04\x81\xc0"+bytes(pfx)[4:])
w("dnssl-label-overrun","opt_bad_content","a DNSSL label running past the option", ra(slla)+b"\x1f\x02\0\0\0\0\x02\x58"+b"\x20abcdefg")
w("dnssl-unterminated","opt_bad_content","a DNSSL name without its final zero", ra(slla)+b"\x1f\x02\0\0\0\0\x02\x58"+b"\x03lab\x03abc")
w("not-ra","not_ra","a Router Solicitation", bytes(ICMPv6ND_RS())+b"\0"*12)
w("slla-long","ok lladdr=none","a source link-layer option of 2 units (not Ethernet): kept, no MAC", ra(b"\x01\x02"+b"\xaa"*14) if False else ra()+b"\x01\x02"+b"\xaa"*14)
