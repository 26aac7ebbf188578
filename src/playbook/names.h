// Names in messages and playbooks: "did you mean ...?" for misspelt names,
// lists of names, valid variable names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fleetk8s::playbook {

// The candidate closest to `word` by edit distance (a swap of two
// neighbours counts as one edit), or "" when none is close enough to be a
// plausible typo: at most 1 edit for words up to 4 letters, 2 up to 8, 3
// beyond. Ties go to the earlier candidate.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// The candidates joined with ", ".
std::string join(const std::vector<std::string>& items);

// True if `name` can name a variable: letters, digits and _, not starting
// with a digit (Ansible's isidentifier check, ASCII only).
bool is_variable_name(const std::string& name);

}  // namespace fleetk8s::playbook
