// SPDX-License-Identifier: MIT
/*
 * The call threads: they run the calls that may wait (ta_cmd_blocks()), so
 * that no worker waits with them. Calls come as chains, one per session
 * slot (struct sw_chain): a thread takes a chain and runs its calls in
 * order until it is empty, so a session's calls keep their order.
 *
 * Fairness between clients. Each client may have at most per_client
 * chains running at once; its other ready chains wait in its own queue.
 * Clients with a ready chain and room for it take turns (round robin) for
 * the threads. The pool grows on demand, one spare thread ahead, up to
 * SW_CALL_THREADS_MAX: a waiting call of one client never queues behind
 * another client's waits (it only competes for the CPU, as any thread
 * does) unless the pool is at its limit, which takes more than
 * SW_CALL_THREADS_MAX / per_client clients doing it at once; then the
 * threads go round the clients in turn. Threads stay once made (the pool
 * keeps its high-water mark).
 */
#include "secure/attach/attach.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void *sw_calls_main(void *arg);

/* Caller holds cs->lock. Adds a thread; 0 on success. */
static int sw_calls_spawn(struct sw_calls *cs)
{
	if (cs->nr >= SW_CALL_THREADS_MAX ||
	    pthread_create(&cs->threads[cs->nr], NULL, sw_calls_main, cs))
		return -EAGAIN;
	cs->nr++;
	cs->idle++; /* it starts by looking for work */
	return 0;
}

/* Caller holds cs->lock. Puts @hc in the round robin if it has a ready
 * chain, room to run it, and is not there already. */
static void sw_calls_queue_client(struct sw_calls *cs, struct sw_hclient *hc)
{
	if (hc->calls_queued || !hc->calls_ready ||
	    hc->calls_running >= cs->per_client)
		return;
	hc->calls_queued = 1;
	hc->calls_next = NULL;
	if (cs->clients_last)
		cs->clients_last->calls_next = hc;
	else
		cs->clients = hc;
	cs->clients_last = hc;
	/* an idle thread takes it; spares are made by the threads */
	if (cs->idle)
		pthread_cond_signal(&cs->cond);
}

void sw_calls_submit(struct sw_calls *cs, struct sw_hclient *hc,
		     struct sw_chain *ch, struct sw_job *job)
{
	pthread_mutex_lock(&cs->lock);
	if (ch->last)
		ch->last->next = job;
	else
		ch->head = job;
	ch->last = job;
	if (!ch->active) {
		ch->active = 1;
		ch->next_ready = NULL;
		if (hc->calls_ready_last)
			hc->calls_ready_last->next_ready = ch;
		else
			hc->calls_ready = ch;
		hc->calls_ready_last = ch;
		sw_calls_queue_client(cs, hc);
	}
	pthread_mutex_unlock(&cs->lock);
}

/* Caller holds cs->lock. The next client's next ready chain, or NULL. */
static struct sw_chain *sw_calls_take(struct sw_calls *cs,
				      struct sw_hclient **owner)
{
	struct sw_hclient *hc = cs->clients;
	struct sw_chain *ch;

	if (!hc)
		return NULL;
	cs->clients = hc->calls_next;
	if (!cs->clients)
		cs->clients_last = NULL;
	hc->calls_queued = 0;
	ch = hc->calls_ready;
	hc->calls_ready = ch->next_ready;
	if (!hc->calls_ready)
		hc->calls_ready_last = NULL;
	hc->calls_running++;
	/* its turn is over: behind the others, if it has more */
	sw_calls_queue_client(cs, hc);
	*owner = hc;
	return ch;
}

/* A call thread: takes a chain and runs its calls, waiting included, in
 * order until it is empty. */
static void *sw_calls_main(void *arg)
{
	struct sw_calls *cs = arg;
	struct sw_hclient *hc = NULL;
	struct sw_chain *ch = NULL;
	struct sw_job *job;

	pthread_mutex_lock(&cs->lock);
	while (!cs->stop) {
		if (!ch) {
			ch = sw_calls_take(cs, &hc);
			if (!ch) {
				pthread_cond_wait(&cs->cond, &cs->lock);
				continue;
			}
			/* one spare ahead, so that the next client's call
			 * finds a thread without waiting for one to be made */
			if (--cs->idle == 0)
				sw_calls_spawn(cs);
		}
		/* a chain is ready, or ours, only while it holds jobs */
		job = ch->head;
		ch->head = job->next;
		if (!ch->head)
			ch->last = NULL;
		pthread_mutex_unlock(&cs->lock);

		/* no peek: the worker still drains the rings, cancellation
		 * requests included */
		sw_dispatch(&job->qp->hc->core, &job->sqe, &job->cqe, NULL,
			    NULL, 0);
		/* release: the call is over before the worker may run the
		 * session's next one itself */
		__atomic_sub_fetch(&ch->pending, 1, __ATOMIC_RELEASE);
		pthread_mutex_lock(&cs->lock);
		if (!ch->head) {
			/* its client's share back, before the job goes and
			 * the client with it */
			ch->active = 0;
			ch = NULL;
			hc->calls_running--;
			sw_calls_queue_client(cs, hc);
			cs->idle++;
		}
		pthread_mutex_unlock(&cs->lock);
		/* from here the client may go, unless the chain we keep holds
		 * jobs, which it waits for: the chain is not touched again */
		sw_worker_job_done(job);
		pthread_mutex_lock(&cs->lock);
	}
	pthread_mutex_unlock(&cs->lock);
	return NULL;
}

int sw_calls_start(struct sw_calls *cs, uint32_t per_client)
{
	int ret;

	memset(cs, 0, sizeof(*cs));
	cs->per_client = per_client;
	cs->threads = calloc(SW_CALL_THREADS_MAX, sizeof(*cs->threads));
	if (!cs->threads)
		return -ENOMEM;
	pthread_mutex_init(&cs->lock, NULL);
	pthread_cond_init(&cs->cond, NULL);
	pthread_mutex_lock(&cs->lock);
	ret = sw_calls_spawn(cs);
	pthread_mutex_unlock(&cs->lock);
	return ret;
}

/* The caller made running calls see themselves cancelled; calls not run
 * yet stay in their chains and are freed with their clients. */
void sw_calls_stop(struct sw_calls *cs)
{
	uint32_t i, nr;

	if (!cs->threads)
		return;
	pthread_mutex_lock(&cs->lock);
	cs->stop = 1;
	pthread_cond_broadcast(&cs->cond);
	nr = cs->nr; /* none is made once stop is seen */
	pthread_mutex_unlock(&cs->lock);
	for (i = 0; i < nr; i++)
		pthread_join(cs->threads[i], NULL);
	pthread_mutex_destroy(&cs->lock);
	pthread_cond_destroy(&cs->cond);
	free(cs->threads);
	memset(cs, 0, sizeof(*cs));
}
