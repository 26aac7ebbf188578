// Reading ssh_config text (and the files it includes) into entries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entry.h"
#include "fleetk8s/core/result.h"

namespace fleetk8s::sshconfig {

// How the text was found: decides where relative Includes go and whether
// ~ may be used in them (not in the system file, as in OpenSSH).
struct Origin {
  std::string file;         // for messages: "FILE:LINE: ..."
  std::string include_dir;  // ~/.ssh (user files) or /etc/ssh (the system file)
  bool system = false;
};

// Includes nest at most this deep (OpenSSH's READCONF_MAX_DEPTH).
inline constexpr int kMaxIncludeDepth = 16;

// Every entry of `text`, Included files expanded in place, starting with a
// kFileStart. Errors (kInvalidInput, kNotFound for an unreadable Include)
// read "FILE:LINE: message".
Result<std::vector<SshConfig::Entry>> parse_config(std::string_view text, const Origin& origin);

}  // namespace fleetk8s::sshconfig
