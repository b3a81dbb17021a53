/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw's host attachment (host mode): clients connect to a Unix socket,
 * hand over their region and doorbells in a handshake, and register
 * sealed memfds; the workers and call threads of secure/attach/ serve
 * their rings.
 */
#ifndef TEEQ_SECURE_HOST_H
#define TEEQ_SECURE_HOST_H

#include "secure/attach/attach.h"

/* Starts the process that closes descriptors clients send (host.c says
 * why); first thing, before any thread, socket or lock. */
int sw_host_disposer_start(struct sw_host *h);
/* Listens on h->opts.socket_path and serves until SIGINT/SIGTERM/SIGHUP
 * or h->opts.idle_exit_s without clients: 0, or -errno. */
int sw_host_run(struct sw_host *h);

#endif /* TEEQ_SECURE_HOST_H */
