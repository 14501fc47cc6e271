/* Reads FILE every 100 ms, SECONDS times (forever with 0). Usage: reader FILE SECONDS */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int n = atoi(argv[2]) * 10;
    for (int i = 0; n == 0 || i < n; i++) {
        char buf[128];
        int fd = open(argv[1], O_RDONLY);
        if (fd >= 0) {
            read(fd, buf, sizeof buf);
            close(fd);
        }
        usleep(100000);
    }
    return 0;
}
