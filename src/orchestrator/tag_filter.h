// Which tasks --tags and --skip-tags select, with Ansible's special tags:
// "always" runs unless skipped by name, "never" runs only when asked for by
// name, "tagged" / "untagged" / "all" select by whether a task has tags.
#pragma once

#include <string>
#include <vector>

namespace fleetk8s::orchestrator {

// True when a task with `task_tags` (its own and inherited) runs given
// `tags` (empty: all) and `skip_tags`.
bool tag_selected(const std::vector<std::string>& task_tags, const std::vector<std::string>& tags,
                  const std::vector<std::string>& skip_tags);

}  // namespace fleetk8s::orchestrator
