// OpenSSH's host patterns (match.c): `*` and `?` wildcards, `!` negation.
#pragma once

#include <string_view>

namespace fleetk8s::sshconfig {

// Whether `s` matches `pattern` (`*` any run, `?` one character), case
// sensitive: match_pattern().
bool match_pattern(std::string_view s, std::string_view pattern);

// A comma-separated list such as "web*,!web3": 1 when some positive
// pattern matches and no negated one does, 0 when nothing matches, -1 when
// a negated pattern matches. With `lower`, `s` is compared lower-cased (as
// for host names): match_pattern_list().
int match_pattern_list(std::string_view s, std::string_view list, bool lower);

}  // namespace fleetk8s::sshconfig
