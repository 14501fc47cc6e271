/* recv with MSG_TRUNC returns the datagram's length, more than the buffer it filled: the
 * trace must show only what the buffer holds (strace: "xy"), never the bytes after it.
 * A datagram of 4 bytes into 2-byte buffers, by recvfrom, recv and read-sized reads. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
        return 1;
    /* What lies after the buffer: must not appear in the trace. */
    char area[8];
    memcpy(area, "..SECRET", 8);
    for (int i = 0; i < 2; i++) {
        if (send(sv[0], "xyzw", 4, 0) != 4)
            return 1;
        if (recvfrom(sv[1], area, 2, MSG_TRUNC, NULL, NULL) != 4)
            return 1;
    }
    send(sv[0], "abcd", 4, 0);
    recvfrom(sv[1], area, 0, MSG_TRUNC, NULL, NULL);
    return 0;
}
