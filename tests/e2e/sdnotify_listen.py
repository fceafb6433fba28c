#! /usr/bin/env python3
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# A stand-in for systemd's notify socket: binds a unix datagram socket at
# argv[1] with SO_PASSCRED, as systemd does, and appends to argv[2] one
# line per datagram: the sender's pid from the kernel's SCM_CREDENTIALS
# (what NotifyAccess=main checks), then the message with its newlines
# turned into "|".
import os
import socket
import struct
import sys

path, out = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(path)
with open(out, "a", buffering=1) as f:
    while True:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = -1
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and \
                    kind == socket.SCM_CREDENTIALS and len(cdata) >= 12:
                pid = struct.unpack("3i", cdata[:12])[0]
        text = data.decode("ascii", "replace").replace("\n", "|")
        f.write("%d %s\n" % (pid, text))
