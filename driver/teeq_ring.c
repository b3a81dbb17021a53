// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * The ring protocol's set-up code (formatting, attaching, laying out and
 * validating a channel): the very source user space builds, so both sides
 * of a ring run one implementation of the wire rules.
 */
#include "ring/ring.c"
#include "ring/channel.c"
