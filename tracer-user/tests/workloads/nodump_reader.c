/* Makes itself non-dumpable (prctl(PR_SET_DUMPABLE, 0)), then reads FILE every 100 ms
 * forever. Usage: nodump_reader FILE */
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    (void)argc;
    prctl(PR_SET_DUMPABLE, 0);
    for (;;) {
        char buf[128];
        int fd = open(argv[1], O_RDONLY);
        if (fd >= 0) {
            read(fd, buf, sizeof buf);
            close(fd);
        }
        usleep(100000);
    }
}
