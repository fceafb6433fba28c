/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Reading resolv.conf and /etc/hosts for a resolver that may not
 * (resolve.h): pptpcd's parent does it for the sandboxed engine.  Only
 * bytes are read here, never parsed: the parent runs as root and must
 * not interpret what a DHCP client wrote.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resolv_text.h"
#include "resolve.h"

static void
id_of(const struct stat *st, struct resolve_file_id *id)
{
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	id->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
}

static void
id_get(const char *path, struct resolve_file_id *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) == -1)
		id->err = errno != 0 ? errno : EIO;
	else
		id_of(&st, id);
}

/*
 * The file's text.  Missing or unreadable is empty text, as the C
 * library takes it; more than RESOLV_TEXT_MAX bytes is an error.  The
 * identity is taken again from the descriptor read, so that it is what
 * the text is.
 */
static int
read_one(const char *path, struct resolve_file_id *id, char **text,
    size_t *len, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *buf;
	int fd;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	id_of(&st, id);
	if ((buf = malloc(RESOLV_TEXT_MAX + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -1;
	}
	/* One byte more than allowed, to see a file that is too long. */
	while (got <= RESOLV_TEXT_MAX) {
		n = read(fd, buf + got, RESOLV_TEXT_MAX + 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > RESOLV_TEXT_MAX) {
		free(buf);
		snprintf(err, errlen, "%s is over %d bytes; the resolver "
		    "keeps its old configuration", path, RESOLV_TEXT_MAX);
		return -1;
	}
	*text = buf;
	*len = got;
	return 0;
}

int
resolve_text_read(const char *const paths[RESOLVE_TEXT_FILES],
    const struct resolve_file_id *have, struct resolve_text *out,
    char *err, size_t errlen)
{
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < RESOLVE_TEXT_FILES; i++)
		id_get(paths[i], &out->id[i]);
	if (have != NULL && memcmp(have, out->id, sizeof(out->id)) == 0)
		return 0;
	for (i = 0; i < RESOLVE_TEXT_FILES; i++)
		if (read_one(paths[i], &out->id[i], &out->text[i],
		    &out->len[i], err, errlen) == -1) {
			resolve_text_free(out);
			return -1;
		}
	return 1;
}

void
resolve_text_free(struct resolve_text *t)
{
	int i;

	for (i = 0; i < RESOLVE_TEXT_FILES; i++) {
		free(t->text[i]);
		t->text[i] = NULL;
		t->len[i] = 0;
	}
}
