/* Started with some standard fds closed (`<&- 2>&-`): its first open takes the lowest free fd.
 * Writes "FIRST_FD FLAGS0 FLAGS1 FLAGS2" (fcntl F_GETFD, -1 when closed, taken after the
 * first open only) to the file argv[1] (opened second). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int first = open("/dev/zero", O_RDONLY);
    int flags[3];
    for (int fd = 0; fd < 3; fd++)
        flags[fd] = fcntl(fd, F_GETFD);
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0)
        return 1;
    dprintf(out, "%d %d %d %d\n", first, flags[0], flags[1], flags[2]);
    return 0;
}
