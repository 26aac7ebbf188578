/* loopback.so: each sandbox host's own 127.0.0.1 (and ::1).
 *
 * The hosts of a sandbox fleet share this machine's network namespace, so 127.0.0.1 is one
 * address for all of them: two hosts could not both listen on 127.0.0.1:6443, and a host
 * connecting to 127.0.0.1 would reach whichever host (or the machine) listens there. Every
 * host lists this library in its own /etc/ld.so.preload (build-base compiles it into
 * /usr/libexec/sandbox/loopback.so), and it makes the loopback address mean the host itself:
 *
 *   bind() and connect() of an AF_INET socket to 127.0.0.1 use the host's own address (ip= in
 *   /etc/sandbox/hardware, 127.0.N.x) instead; an AF_INET6 socket's [::1] becomes the
 *   v4-mapped [::ffff:127.0.N.x] (not on an IPV6_V6ONLY socket: left alone);
 *   bind() to the wildcard address (0.0.0.0 or [::]) with a port binds the host's address too:
 *   a service "on all addresses" of one host must not take the port from every other host
 *   (nor collide with their sshd), and it stays reachable as 127.0.0.1 and the host's address;
 *   getsockname() and getpeername() of such a socket (and of the connections accept() takes
 *   from a loopback listener) show 127.0.0.1 / ::1 / 0.0.0.0 / [::] again, so programs see
 *   what they asked for.
 *
 * Connections to port 53 are not mapped: the hosts use this machine's /etc/resolv.conf, so a
 * "nameserver 127.0.0.1" there is the machine's resolver (dnsmasq, unbound), not one per host.
 * Nothing else changes: other addresses (the hosts' 127.0.N.x, 127.0.0.53, ...), port 0 binds,
 * sendto() without connect(), AF_UNIX, and programs that do not use libc (static Go
 * binaries) are untouched. Outside a host (no /etc/sandbox/hardware) it does nothing. As on
 * a real host, a service on 127.0.0.1:P and one on the host's address:P conflict here
 * (EADDRINUSE), as they would if the latter listened on 0.0.0.0:P (the API server's default).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define HARDWARE "/etc/sandbox/hardware"
#define MAX_FD 65536

typedef int (*addr_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*name_fn)(int, struct sockaddr *, socklen_t *);
typedef int (*accept4_fn)(int, struct sockaddr *, socklen_t *, int);

static addr_fn real_bind, real_connect;
static name_fn real_getsockname, real_getpeername, real_accept;
static accept4_fn real_accept4;

/* the host's address (network order); 0: not known yet; INADDR_NONE: none (not in a host) */
static volatile in_addr_t host_addr;
/* the socket (inode) each fd had when it was mapped; a reused fd holds another inode */
static ino_t mapped[MAX_FD];
/* how it was mapped: LOOP (127.0.0.1, ::1) or ANY (0.0.0.0, [::]) */
enum { NONE, LOOP, ANY };
static unsigned char kind[MAX_FD];

__attribute__((constructor)) static void init(void) {
  real_bind = (addr_fn)dlsym(RTLD_NEXT, "bind");
  real_connect = (addr_fn)dlsym(RTLD_NEXT, "connect");
  real_getsockname = (name_fn)dlsym(RTLD_NEXT, "getsockname");
  real_getpeername = (name_fn)dlsym(RTLD_NEXT, "getpeername");
  real_accept = (name_fn)dlsym(RTLD_NEXT, "accept");
  real_accept4 = (accept4_fn)dlsym(RTLD_NEXT, "accept4");
}

static in_addr_t own_addr(void) {
  in_addr_t a = host_addr;
  if (a) return a;
  a = INADDR_NONE;
  int saved = errno;
  FILE *f = fopen(HARDWARE, "re");
  if (f) {
    char line[256];
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "ip=", 3) == 0) {
        line[strcspn(line, " \t\r\n")] = 0;
        struct in_addr in;
        if (inet_pton(AF_INET, line + 3, &in) == 1 && in.s_addr != htonl(INADDR_LOOPBACK)) a = in.s_addr;
        break;
      }
    }
    fclose(f);
  }
  errno = saved;
  host_addr = a;
  return a;
}

static ino_t inode_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

static void mark(int fd, int how) {
  if (fd < 0 || fd >= MAX_FD) return;
  if (how == NONE && !mapped[fd]) return;
  int saved = errno;
  mapped[fd] = how != NONE ? inode_of(fd) : 0;
  kind[fd] = how;
  errno = saved;
}

static int marked(int fd) {
  if (fd < 0 || fd >= MAX_FD || !mapped[fd]) return NONE;
  int saved = errno;
  int r = mapped[fd] == inode_of(fd) ? kind[fd] : NONE;
  errno = saved;
  return r;
}

static int v6only(int fd) {
  int on = 0;
  socklen_t n = sizeof on;
  return getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, &n) == 0 && on;
}

/* rewrite: a copy of the address with the loopback (for a bind, also the wildcard with a port)
   replaced by the host's, or NULL; *how says which */
static const struct sockaddr *rewrite(int fd, const struct sockaddr *sa, socklen_t len,
                                      struct sockaddr_storage *buf, int binding, int *how) {
  *how = NONE;
  if (!sa) return NULL;
  if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    if (!binding && in->sin_port == htons(53)) return NULL; /* the machine's resolver, see above */
    if (in->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) *how = LOOP;
    else if (binding && in->sin_addr.s_addr == htonl(INADDR_ANY) && in->sin_port) *how = ANY;
    else return NULL;
    in_addr_t a = own_addr();
    if (a == INADDR_NONE) { *how = NONE; return NULL; }
    memcpy(buf, sa, sizeof(struct sockaddr_in));
    ((struct sockaddr_in *)buf)->sin_addr.s_addr = a;
    return (const struct sockaddr *)buf;
  }
  if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    if (!binding && in6->sin6_port == htons(53)) return NULL;
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) *how = LOOP;
    else if (binding && IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) && in6->sin6_port) *how = ANY;
    else return NULL;
    in_addr_t a = own_addr();
    if (a == INADDR_NONE || v6only(fd)) { *how = NONE; return NULL; }
    memcpy(buf, sa, sizeof(struct sockaddr_in6));
    struct in6_addr *m = &((struct sockaddr_in6 *)buf)->sin6_addr;
    memset(m, 0, 10);
    m->s6_addr[10] = m->s6_addr[11] = 0xff;
    memcpy(&m->s6_addr[12], &a, 4);
    return (const struct sockaddr *)buf;
  }
  return NULL;
}

static int call(addr_fn fn, int fd, const struct sockaddr *sa, socklen_t len, int binding) {
  struct sockaddr_storage buf;
  int how;
  const struct sockaddr *to = rewrite(fd, sa, len, &buf, binding, &how);
  int r = fn(fd, to ? to : sa, len);
  if (r == 0 || (to && errno == EINPROGRESS)) mark(fd, how);
  return r;
}

int bind(int fd, const struct sockaddr *sa, socklen_t len) {
  if (!real_bind) init();
  return call(real_bind, fd, sa, len, 1);
}

int connect(int fd, const struct sockaddr *sa, socklen_t len) {
  if (!real_connect) init();
  return call(real_connect, fd, sa, len, 0);
}

/* back: the host's address in a result of a mapped socket shows as what was asked for again */
static void back(struct sockaddr *sa, socklen_t *len, int how) {
  in_addr_t a = host_addr;
  if (how == NONE || !sa || !len || !a || a == INADDR_NONE) return;
  if (sa->sa_family == AF_INET && *len >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in *in = (struct sockaddr_in *)sa;
    if (in->sin_addr.s_addr == a) in->sin_addr.s_addr = htonl(how == LOOP ? INADDR_LOOPBACK : INADDR_ANY);
  } else if (sa->sa_family == AF_INET6 && *len >= sizeof(struct sockaddr_in6)) {
    struct in6_addr *m = &((struct sockaddr_in6 *)sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(m) && memcmp(&m->s6_addr[12], &a, 4) == 0) *m = how == LOOP ? in6addr_loopback : in6addr_any;
  }
}

int getsockname(int fd, struct sockaddr *sa, socklen_t *len) {
  if (!real_getsockname) init();
  int r = real_getsockname(fd, sa, len);
  if (r == 0) back(sa, len, marked(fd));
  return r;
}

int getpeername(int fd, struct sockaddr *sa, socklen_t *len) {
  if (!real_getpeername) init();
  int r = real_getpeername(fd, sa, len);
  if (r == 0) back(sa, len, marked(fd));
  return r;
}

/* a connection taken from a loopback listener is a loopback connection; one from a wildcard
   listener keeps the host's address (it may have come to either) */
int accept(int fd, struct sockaddr *sa, socklen_t *len) {
  if (!real_accept) init();
  int r = real_accept(fd, sa, len);
  if (r >= 0) mark(r, marked(fd) == LOOP ? LOOP : NONE);
  return r;
}

int accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags) {
  if (!real_accept4) init();
  int r = real_accept4(fd, sa, len, flags);
  if (r >= 0) mark(r, marked(fd) == LOOP ? LOOP : NONE);
  return r;
}
