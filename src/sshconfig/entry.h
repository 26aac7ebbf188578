// One parsed line of an ssh_config file, as SshConfig keeps it: lookups
// replay the entries in order, keeping OpenSSH's active/inactive state.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/sshconfig/ssh_config.h"
#include "keywords.h"

namespace fleetk8s::sshconfig {

// One Match criterion: `host a,b`, `!user x`, `all`, `final`.
struct Criterion {
  std::string name;      // lower-case: all, canonical, final, host, originalhost, user, localuser
  bool negated = false;
  std::string patterns;  // comma-separated pattern list; empty for all/canonical/final
};

struct SshConfig::Entry {
  enum class Kind {
    kFileStart,     // a top-level file begins: every setting applies until a Host or Match
    kIncludeStart,  // an included file begins: it inherits the including line's state...
    kIncludeEnd,    // ...which is restored when it ends
    kHost,
    kMatch,
    kOption,
  };
  Kind kind = Kind::kOption;
  Keyword keyword = Keyword::kIgnored;  // kOption: one of the honoured keywords
  std::vector<std::string> args;        // kHost: patterns; kOption: the arguments
  std::vector<Criterion> criteria;      // kMatch
  std::string value;                    // kOption: the checked, normalised single value
  std::string file;
  int line = 0;
};

}  // namespace fleetk8s::sshconfig
