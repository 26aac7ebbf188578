#include "tag_filter.h"

#include <algorithm>

namespace fleetk8s::orchestrator {

bool tag_selected(const std::vector<std::string>& task_tags, const std::vector<std::string>& tags,
                  const std::vector<std::string>& skip_tags) {
  auto has = [&](const std::string& t) { return std::find(task_tags.begin(), task_tags.end(), t) != task_tags.end(); };
  auto asked = [&](const std::string& t) { return std::find(tags.begin(), tags.end(), t) != tags.end(); };
  for (const auto& s : skip_tags) {
    if (has(s) || (s == "tagged" && !task_tags.empty()) || (s == "untagged" && task_tags.empty()) || s == "all")
      return false;
  }
  const bool named = std::any_of(tags.begin(), tags.end(), has);
  if (tags.empty() || asked("all")) return !has("never") || named;
  if (named) return true;
  if (has("always")) return true;
  if (asked("tagged") && !task_tags.empty() && !has("never")) return true;
  if (asked("untagged") && task_tags.empty()) return true;
  return false;
}

}  // namespace fleetk8s::orchestrator
