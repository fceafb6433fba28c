/* Placeholder entry point until the daemon lands (issue 4). */
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "pptpcd: not built yet\n");
	return 1;
}
