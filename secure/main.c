// SPDX-License-Identifier: MIT
/* teeq-sw: the secure world as a process. See --help. */
#include "secure/attach/host/host.h"
#include "secure/attach/kernel/kernel.h"
#include "secure/attach/suppl.h"
#include "secure/loaded/ta_proc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SW_DEFAULT_SPIN_US 200
#define SW_DEFAULT_CALL_THREADS 8
#define SW_MAX_CALL_THREADS 256

static void usage(FILE *out)
{
	fprintf(out,
		"usage: teeq-sw [options]\n"
		"\n"
		"The teeq secure world, run as a process (host mode). Clients attach\n"
		"through a Unix socket; after the handshake every call travels through\n"
		"the client's own shared-memory rings. libteeq starts teeq-sw by itself\n"
		"when none is listening (unless TEEQ_NO_AUTOSTART is set).\n"
		"\n"
		"options:\n"
		"  -s, --socket PATH    listen on PATH (default: $TEEQ_SOCKET, else\n"
		"                       $XDG_RUNTIME_DIR/teeq-sw.sock, else\n"
		"                       /tmp/teeq-<euid>/teeq-sw.sock)\n"
		"  -w, --workers N      worker threads draining the rings (default: the\n"
		"                       number of CPUs, at most %d)\n"
		"      --call-threads N calls a trusted app may keep waiting that one\n"
		"                       client can have running at once (default %d, at\n"
		"                       most %d): such calls run on threads of their own,\n"
		"                       made as needed (at most %d in all), so they hold\n"
		"                       up no worker and no other client's calls\n"
		"      --spin-us N      microseconds a worker keeps polling after its last\n"
		"                       work before it sleeps on the doorbells (default %d;\n"
		"                       0 sleeps at once)\n"
		"      --cpus LIST      pin worker i to the i-th CPU of a comma-separated\n"
		"                       LIST (default: not pinned)\n"
		"      --idle-exit S    exit after S seconds without clients (default 0:\n"
		"                       never)\n"
		"      --ta-dir DIR     read loaded trusted apps, <uuid>.ta, from DIR\n"
		"                       (default: $TEEQ_TA_DIR, else %s)\n"
		"      --ta-limit-ms N  cancel a call into a loaded trusted app still\n"
		"                       running after N ms (default %d)\n"
		"      --ta-kill-ms N   kill a loaded trusted app's process N ms after a\n"
		"                       cancellation it did not answer (default %d)\n"
		"      --ta-max-procs N loaded trusted app processes at once (default %d)\n"
		"      --ta-heap-mb N   MiB of memrefs one call into a loaded trusted app\n"
		"                       may carry (default %d)\n"
		"      --stats          print the statistics of the teeq-sw serving the\n"
		"                       socket and exit\n"
		"      --kernel[=DEV]   kernel mode: serve the clients of the teeq driver\n"
		"                       through its endpoint DEV (default %s)\n"
		"                       instead of the socket; with --socket, that socket\n"
		"                       answers --stats only\n"
		"  -v, --verbose        log attaches and detaches too\n"
		"  -h, --help           this text\n"
		"\n"
		"Capacity: each worker serves at most %d queue pairs, so N workers serve\n"
		"N x %d (%d clients of libteeq's default 8 pairs per worker); a client\n"
		"past that is refused at its handshake (TEEC_ERROR_BUSY). Each client\n"
		"holds 2 descriptors plus one per queue pair: teeq-sw raises its soft\n"
		"descriptor limit to the hard one.\n"
		"\n"
		"Built-in trusted apps: noop, echo, digest (SHA-256, HMAC-SHA256), cipher\n"
		"(AES-CTR, AES-GCM), storage (persistent objects); their commands are in\n"
		"uapi/teeq_tas.h. Any other UUID is a loaded trusted app, each instance\n"
		"run in a process of its own (docs/ta-isolation.md).\n",
		SW_MAX_WORKERS, SW_DEFAULT_CALL_THREADS, SW_MAX_CALL_THREADS,
		SW_CALL_THREADS_MAX, SW_DEFAULT_SPIN_US, TEEQ_TA_DIR_DEFAULT,
		TA_PROC_DEFAULT_LIMIT_MS, TA_PROC_DEFAULT_KILL_MS,
		TA_PROC_DEFAULT_MAX, TA_PROC_DEFAULT_HEAP_MB,
		SW_KERNEL_DEFAULT_DEV, SW_WORKER_MAX_QPS, SW_WORKER_MAX_QPS,
		SW_WORKER_MAX_QPS / 8);
	sw_suppl_usage(out);
}

static int sw_parse_cpus(const char *list, int *cpus)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long cpu = strtol(tok, &end, 10);

		if (*end || cpu < 0 || cpu > 4095 || n == SW_MAX_WORKERS) {
			free(copy);
			return -1;
		}
		cpus[n++] = (int)cpu;
	}
	free(copy);
	return n;
}

static int sw_print_stats(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct teeq_host_hdr req = { .magic = TEEQ_HOST_MAGIC,
				     .type = TEEQ_HOST_STATS,
				     .len = sizeof(req) };
	struct teeq_host_stats_reply r;
	const struct teeq_sw_stats *st = &r.stats;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    send(fd, &req, sizeof(req), 0) != sizeof(req) ||
	    recv(fd, &r, sizeof(r), 0) != sizeof(r) || r.status) {
		fprintf(stderr, "teeq-sw: no teeq-sw answers on %s\n", path);
		return 1;
	}
	/* the stats request itself is a connection that never attached */
	printf("pid %u, %u workers\n"
	       "clients %llu (attached ever %llu, refused %llu, dropped %llu)\n"
	       "sessions %llu (opened ever %llu)\n"
	       "queue pairs %llu\n"
	       "regions %llu bytes (heaps %llu bytes)\n"
	       "registered buffers %llu (%llu bytes)\n"
	       "calls %llu, completion doorbells %llu, worker sleeps %llu\n",
	       st->pid, st->workers, (unsigned long long)st->clients,
	       (unsigned long long)st->clients_total,
	       (unsigned long long)st->clients_refused,
	       (unsigned long long)st->clients_dropped,
	       (unsigned long long)st->sessions,
	       (unsigned long long)st->sessions_total,
	       (unsigned long long)st->qpairs,
	       (unsigned long long)st->region_bytes,
	       (unsigned long long)st->heap_bytes,
	       (unsigned long long)st->ext_buffers,
	       (unsigned long long)st->ext_bytes, (unsigned long long)st->calls,
	       (unsigned long long)st->doorbells_rung,
	       (unsigned long long)st->worker_sleeps);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_SPIN = 256,
		OPT_CPUS,
		OPT_IDLE,
		OPT_STATS,
		OPT_CALLS,
		OPT_KERNEL,
		OPT_TA_DIR,
		OPT_TA_LIMIT,
		OPT_TA_KILL,
		OPT_TA_MAX,
		OPT_TA_HEAP
	};
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "workers", required_argument, NULL, 'w' },
		{ "spin-us", required_argument, NULL, OPT_SPIN },
		{ "call-threads", required_argument, NULL, OPT_CALLS },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "idle-exit", required_argument, NULL, OPT_IDLE },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "kernel", optional_argument, NULL, OPT_KERNEL },
		{ "ta-dir", required_argument, NULL, OPT_TA_DIR },
		{ "ta-limit-ms", required_argument, NULL, OPT_TA_LIMIT },
		{ "ta-kill-ms", required_argument, NULL, OPT_TA_KILL },
		{ "ta-max-procs", required_argument, NULL, OPT_TA_MAX },
		{ "ta-heap-mb", required_argument, NULL, OPT_TA_HEAP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		SW_SUPPL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct sw_host host;
	static struct sw_suppl_opts suppl;
	static struct ta_proc_opts ta;
	struct sw_host_opts *o = &host.opts;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	const char *kernel_dev = NULL;
	int opt, stats = 0, socket_given = 0, i, ret;
	char *end;

	sw_suppl_defaults(&suppl);
	o->workers = ncpu > 0 ? (uint32_t)ncpu : 1;
	if (o->workers > SW_MAX_WORKERS)
		o->workers = SW_MAX_WORKERS;
	o->spin_ns = SW_DEFAULT_SPIN_US * 1000ull;
	o->call_threads = SW_DEFAULT_CALL_THREADS;
	ta_loaded_defaults(&ta);
	for (i = 0; i < SW_MAX_WORKERS; i++)
		o->cpus[i] = -1;
	if (teeq_host_socket_path(o->socket_path, sizeof(o->socket_path))) {
		fprintf(stderr, "teeq-sw: socket path too long\n");
		return 2;
	}

	while ((opt = getopt_long(argc, argv, "s:w:vh", longopts, NULL)) !=
	       -1) {
		if (opt >= SW_SUPPL_OPT_STATE_DIR && opt <= SW_SUPPL_OPT_LAST) {
			if (sw_suppl_option(&suppl, opt, optarg))
				return 2;
			continue;
		}
		switch (opt) {
		case 's':
			if (strlen(optarg) >= sizeof(o->socket_path)) {
				fprintf(stderr,
					"teeq-sw: socket path too long\n");
				return 2;
			}
			strcpy(o->socket_path, optarg);
			socket_given = 1;
			break;
		case 'w': {
			long n = strtol(optarg, &end, 10);

			if (*end || n < 1 || n > SW_MAX_WORKERS) {
				fprintf(stderr,
					"teeq-sw: --workers takes 1..%d\n",
					SW_MAX_WORKERS);
				return 2;
			}
			o->workers = (uint32_t)n;
			break;
		}
		case OPT_CALLS: {
			long n = strtol(optarg, &end, 10);

			if (*end || n < 1 || n > SW_MAX_CALL_THREADS) {
				fprintf(stderr,
					"teeq-sw: --call-threads takes 1..%d\n",
					SW_MAX_CALL_THREADS);
				return 2;
			}
			o->call_threads = (uint32_t)n;
			break;
		}
		case OPT_SPIN: {
			long long us = strtoll(optarg, &end, 10);

			if (*end || us < 0 || us > 10000000) {
				fprintf(stderr,
					"teeq-sw: --spin-us takes 0..10000000\n");
				return 2;
			}
			o->spin_ns = (uint64_t)us * 1000;
			break;
		}
		case OPT_CPUS:
			if (sw_parse_cpus(optarg, o->cpus) < 1) {
				fprintf(stderr,
					"teeq-sw: --cpus takes a list like 0,1\n");
				return 2;
			}
			break;
		case OPT_IDLE: {
			long s = strtol(optarg, &end, 10);

			if (*end || s < 0) {
				fprintf(stderr,
					"teeq-sw: --idle-exit takes seconds\n");
				return 2;
			}
			o->idle_exit_s = (uint32_t)s;
			break;
		}
		case OPT_STATS:
			stats = 1;
			break;
		case OPT_KERNEL:
			kernel_dev = optarg ? optarg : SW_KERNEL_DEFAULT_DEV;
			break;
		case OPT_TA_DIR:
			if (strlen(optarg) >= sizeof(ta.dir)) {
				fprintf(stderr, "teeq-sw: --ta-dir too long\n");
				return 2;
			}
			strcpy(ta.dir, optarg);
			break;
		case OPT_TA_LIMIT:
		case OPT_TA_KILL:
		case OPT_TA_MAX:
		case OPT_TA_HEAP: {
			long n = strtol(optarg, &end, 10);

			if (*end || n < 1 || n > 86400000 ||
			    (opt == OPT_TA_HEAP && n > 65536)) {
				fprintf(stderr,
					"teeq-sw: --ta-limit-ms, --ta-kill-ms, "
					"--ta-max-procs and --ta-heap-mb (at "
					"most 65536) take a positive number\n");
				return 2;
			}
			if (opt == OPT_TA_LIMIT)
				ta.limit_ms = (uint32_t)n;
			else if (opt == OPT_TA_KILL)
				ta.kill_ms = (uint32_t)n;
			else if (opt == OPT_TA_MAX)
				ta.max_procs = (uint32_t)n;
			else
				ta.heap_size = (uint64_t)n << 20;
			break;
		}
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (stats)
		return sw_print_stats(o->socket_path);
	/* one core, whichever way in */
	sw_core_init(&sw_platform_linux);
	if (!kernel_dev) {
		host.disposer_fd = -1;
		if (sw_host_disposer_start(&host)) {
			fprintf(stderr, "teeq-sw: cannot start: %s\n",
				strerror(errno));
			return 1;
		}
	}
	/* after the disposer's fork: the supervisor is a thread */
	ta.verbose = o->verbose;
	ta.verify = &ta_verify_ops;
	if (ta_loaded_setup(&ta)) {
		fprintf(stderr, "teeq-sw: cannot set up loaded trusted apps\n");
		return 1;
	}
	suppl.verbose = o->verbose;
	if (kernel_dev) {
		/* kernel mode: the supplicant is reached through the driver */
		ret = sw_kernel_run(&host, kernel_dev, &suppl, socket_given);
		ret = ret ? 1 : 0;
		ta_loaded_shutdown();
		return ret;
	}
	/* host mode: the supplicant attaches beside the clients' socket */
	sw_suppl_start(&suppl, o->socket_path);
	ret = sw_host_run(&host) ? 1 : 0;
	/* loaded TAs' objects are closed before the storage core stops */
	ta_loaded_shutdown();
	sw_suppl_stop();
	return ret;
}
