// The keywords of ssh_config(5): which ones fleetk8s honours, and which
// ones it accepts and ignores because they only concern the ssh client.
#pragma once

#include <string_view>

namespace fleetk8s::sshconfig {

enum class Keyword {
  kUnknown,  // OpenSSH does not know it either: "Bad configuration option"
  kIgnored,  // OpenSSH knows it; it does not change how fleetk8s connects
  kHost,
  kMatch,
  kInclude,
  kIgnoreUnknown,
  kHostName,
  kUser,
  kPort,
  kIdentityFile,
  kIdentitiesOnly,
  kUserKnownHostsFile,
  kStrictHostKeyChecking,
  kProxyJump,
  kProxyCommand,
  kConnectTimeout,
  kHostKeyAlias,
};

// The keyword for `name`, which must already be lower-case.
Keyword keyword_for(std::string_view name);

}  // namespace fleetk8s::sshconfig
