// SshConfig::lookup() printed as `ssh -G -F FILE HOST` prints the same
// settings, defaults filled in as ssh fills them, so that
// tests/compat/ssh-config-compat.sh can compare the two line by line.
//
//   ssh_config_lookup FILE HOST
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <string>

#include "fleetk8s/sshconfig/ssh_config.h"

using fleetk8s::sshconfig::SshConfig;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE HOST\n", argv[0]);
    return 2;
  }
  auto config = SshConfig::load(argv[1]);
  if (!config) {
    std::fprintf(stderr, "%s\n", config.error().message().c_str());
    return 255;
  }
  const passwd* pw = ::getpwuid(::getuid());
  const std::string local_user = pw->pw_name;
  const std::string home = pw->pw_dir;
  const std::string host = argv[2];
  const auto c = config->lookup(host, local_user);

  std::string lower_host;
  for (char ch : host) lower_host += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::printf("hostname %s\n", c.hostname.value_or(lower_host).c_str());
  std::printf("user %s\n", c.user.value_or(local_user).c_str());
  std::printf("port %d\n", c.port.value_or(22));
  if (c.identity_files.empty()) std::printf("identityfile (default)\n");
  for (const auto& f : c.identity_files) std::printf("identityfile %s\n", f.c_str());
  std::printf("identitiesonly %s\n", c.identities_only.value_or(false) ? "yes" : "no");
  std::string known;
  for (const auto& f : c.user_known_hosts_files) known += (known.empty() ? "" : " ") + f;
  if (c.user_known_hosts_files.empty()) known = home + "/.ssh/known_hosts " + home + "/.ssh/known_hosts2";
  std::printf("userknownhostsfile %s\n", known.c_str());
  const std::string strict = c.strict_host_key_checking.value_or("ask");
  std::printf("stricthostkeychecking %s\n", strict == "yes" ? "true" : strict == "no" ? "false" : strict.c_str());
  if (c.proxy_jump && *c.proxy_jump != "none") {
    // ssh -G prints the last hop as it parsed it: without "ssh://".
    std::string jump = *c.proxy_jump;
    const auto last = jump.rfind(',') == std::string::npos ? 0 : jump.rfind(',') + 1;
    if (jump.compare(last, 6, "ssh://") == 0) jump.erase(last, 6);
    std::printf("proxyjump %s\n", jump.c_str());
  }
  if (c.proxy_command && *c.proxy_command != "none") std::printf("proxycommand %s\n", c.proxy_command->c_str());
  if (c.connect_timeout) std::printf("connecttimeout %ld\n", static_cast<long>(c.connect_timeout->count()));
  else std::printf("connecttimeout none\n");
  return 0;
}
