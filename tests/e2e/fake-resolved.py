#!/usr/bin/python3
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# A stand-in for systemd-resolved on a private bus, for t_dns: it owns
# org.freedesktop.resolve1, answers the link methods pptpcd calls, and
# writes each call as one line to the file named by its argument, e.g.
#   SetLinkDNS 7 2:192.0.2.53 2:192.0.2.54
#   SetLinkDomains 7 ~corp.example
#   SetLinkDefaultRoute 7 false
#   RevertLink 7
# ("~" marks a routing-only domain, as resolvectl writes it).  Usage:
#   fake-resolved.py RECORD-FILE   with DBUS_SYSTEM_BUS_ADDRESS set.
import socket
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.resolve1.Manager"


class Manager(dbus.service.Object):
    def __init__(self, bus, record):
        super().__init__(bus, "/org/freedesktop/resolve1")
        self.record = record

    def log(self, line):
        with open(self.record, "a") as f:
            f.write(line + "\n")

    @dbus.service.method(IFACE, in_signature="ia(iay)", out_signature="")
    def SetLinkDNS(self, ifindex, servers):
        out = []
        for family, addr in servers:
            fam = socket.AF_INET6 if family == socket.AF_INET6 else \
                socket.AF_INET
            out.append("%d:%s" % (family,
                                  socket.inet_ntop(fam, bytes(addr))))
        self.log("SetLinkDNS %d %s" % (ifindex, " ".join(out)))

    @dbus.service.method(IFACE, in_signature="ia(sb)", out_signature="")
    def SetLinkDomains(self, ifindex, domains):
        out = [("~" if routing else "") + str(name)
               for name, routing in domains]
        self.log("SetLinkDomains %d %s" % (ifindex, " ".join(out)))

    @dbus.service.method(IFACE, in_signature="ib", out_signature="")
    def SetLinkDefaultRoute(self, ifindex, enable):
        self.log("SetLinkDefaultRoute %d %s" %
                 (ifindex, "true" if enable else "false"))

    @dbus.service.method(IFACE, in_signature="i", out_signature="")
    def RevertLink(self, ifindex):
        self.log("RevertLink %d" % ifindex)


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    name = dbus.service.BusName("org.freedesktop.resolve1", bus)
    Manager(bus, sys.argv[1])
    print("fake-resolved: ready", flush=True)
    GLib.MainLoop().run()
    del name


if __name__ == "__main__":
    main()
