/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Sanitizer settings baked into every unit-test program, so that a test run
 * by kyua, by hand or under a debugger behaves the same.  libatf-c keeps its
 * test-case list until exit, which is not ours to fix.
 */
#include <stddef.h>

const char	*__asan_default_options(void);
const char	*__lsan_default_options(void);
const char	*__lsan_default_suppressions(void);
const char	*__ubsan_default_options(void);
int		 __lsan_is_turned_off(void);

/*
 * daemon/sandbox.h, in the programs that link it: the engine's sandbox
 * forbids what LeakSanitizer's exit-time check needs (ptrace, a new
 * process), so a sandboxed process skips it rather than die of SIGSYS.
 */
int		 sandbox_test_entered(void) __attribute__((weak));

const char *
__asan_default_options(void)
{
	return "detect_leaks=1:abort_on_error=1:strict_string_checks=1";
}

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *
__lsan_default_suppressions(void)
{
	return "leak:libatf-c.so\n";
}

const char *
__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

int
__lsan_is_turned_off(void)
{
	return sandbox_test_entered != NULL && sandbox_test_entered();
}
