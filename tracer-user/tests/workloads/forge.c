/* Names chosen by a traced program to forge trace lines: a file, a unix socket and (run under
 * a hostile file name) its own command name. Usage: forge DIR [SECONDS] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char path[512];
    snprintf(path, sizeof path, "%s/evil\n+++ FORGED FILE +++\n\033[31mred\377<>", argv[1]);
    int fd = open(path, O_CREAT | O_RDWR, 0600);
    write(fd, "x", 1);
    close(fd);
    unlink(path);

    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s/u\n+++ FORGED SOCK +++\n\"<>", argv[1]);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 1);
    write(s, "", 0);
    close(s);
    unlink(a.sun_path);

    /* Long enough to be found by --comm. */
    for (int i = 0; argc > 2 && i < atoi(argv[2]) * 10; i++) {
        usleep(100000);
        getppid();
    }
    return 0;
}
