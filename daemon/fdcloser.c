/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Slow close(2)s in threads of their own (fdcloser.h).
 *
 * Threads start on demand, one more whenever a descriptor is queued and
 * none is idle, up to FDCLOSER_THREADS: a daemon that never closes a
 * tun never has one, and the usual single close costs a thread once.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdcloser.h"
#include "log.h"

struct fdcloser {
	pthread_mutex_t	 mtx;
	pthread_cond_t	 work;		/* a descriptor queued, or the end */
	pthread_cond_t	 done;		/* the queue and the closes ran dry */
	pthread_t	 thr[FDCLOSER_THREADS];
	int		 nthr;
	int		 idle;		/* threads waiting for work */
	int		 busy;		/* closes in progress */
	int		 ending;
	int		 q[FDCLOSER_QUEUE];
	unsigned int	 head, count;
};

static void *
closer_main(void *arg)
{
	struct fdcloser *fc = arg;
	int fd;

	pthread_mutex_lock(&fc->mtx);
	for (;;) {
		while (fc->count == 0 && !fc->ending) {
			fc->idle++;
			pthread_cond_wait(&fc->work, &fc->mtx);
			fc->idle--;
		}
		if (fc->count == 0)
			break;		/* ending, and nothing left */
		fd = fc->q[fc->head];
		fc->head = (fc->head + 1) % FDCLOSER_QUEUE;
		fc->count--;
		fc->busy++;
		pthread_mutex_unlock(&fc->mtx);
		(void)close(fd);
		pthread_mutex_lock(&fc->mtx);
		fc->busy--;
		if (fc->count == 0 && fc->busy == 0)
			pthread_cond_broadcast(&fc->done);
	}
	pthread_mutex_unlock(&fc->mtx);
	return NULL;
}

struct fdcloser *
fdcloser_new(void)
{
	struct fdcloser *fc;

	if ((fc = calloc(1, sizeof(*fc))) == NULL)
		return NULL;
	if (pthread_mutex_init(&fc->mtx, NULL) != 0) {
		free(fc);
		return NULL;
	}
	if (pthread_cond_init(&fc->work, NULL) != 0) {
		pthread_mutex_destroy(&fc->mtx);
		free(fc);
		return NULL;
	}
	if (pthread_cond_init(&fc->done, NULL) != 0) {
		pthread_cond_destroy(&fc->work);
		pthread_mutex_destroy(&fc->mtx);
		free(fc);
		return NULL;
	}
	return fc;
}

/* With the lock held: one more thread.  0, or -1 if none could start. */
static int
closer_spawn(struct fdcloser *fc)
{
	sigset_t all, old;
	int rc;

	if (fc->nthr == FDCLOSER_THREADS)
		return fc->nthr > 0 ? 0 : -1;
	/* Signals stay with the event loop's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&fc->thr[fc->nthr], NULL, closer_main, fc);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_debug("fdcloser: pthread_create: error %d", rc);
		return fc->nthr > 0 ? 0 : -1;
	}
	fc->nthr++;
	return 0;
}

void
fdcloser_close(struct fdcloser *fc, int fd)
{
	if (fd == -1)
		return;
	if (fc == NULL) {
		(void)close(fd);
		return;
	}
	pthread_mutex_lock(&fc->mtx);
	/* A thread for it: an idle one not yet spoken for, or a new one. */
	if (fc->ending || fc->count == FDCLOSER_QUEUE ||
	    (fc->count >= (unsigned int)fc->idle &&
	    closer_spawn(fc) == -1)) {
		pthread_mutex_unlock(&fc->mtx);
		(void)close(fd);
		return;
	}
	fc->q[(fc->head + fc->count) % FDCLOSER_QUEUE] = fd;
	fc->count++;
	pthread_cond_signal(&fc->work);
	pthread_mutex_unlock(&fc->mtx);
}

void
fdcloser_free(struct fdcloser *fc)
{
	int i;

	if (fc == NULL)
		return;
	pthread_mutex_lock(&fc->mtx);
	while (fc->count > 0 || fc->busy > 0)
		pthread_cond_wait(&fc->done, &fc->mtx);
	fc->ending = 1;
	pthread_cond_broadcast(&fc->work);
	pthread_mutex_unlock(&fc->mtx);
	for (i = 0; i < fc->nthr; i++)
		pthread_join(fc->thr[i], NULL);
	pthread_cond_destroy(&fc->done);
	pthread_cond_destroy(&fc->work);
	pthread_mutex_destroy(&fc->mtx);
	free(fc);
}
