// Task lists (tasks:, handlers:, task files) to Task values: keywords,
// module calls, blocks, import_tasks and include_tasks.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/playbook/model.h"
#include "fleetk8s/playbook/module_catalog.h"
#include "fleetk8s/yaml/node.h"
#include "node_reader.h"

namespace fleetk8s::playbook {

// State shared by every file read for one playbook.
struct LoadState {
  std::string top_dir;             // the top-level playbook's directory
  std::vector<std::string> stack;  // files being read, outermost first
};

// Reads the task lists of one file.
class TaskParser {
 public:
  TaskParser(LoadState& state, const std::string& file) : state_(state), reader_(file) {}

  // A list of tasks (null: none). `what` names the list in messages
  // ("tasks"); `handlers` reads handlers (listen allowed, blocks not).
  Result<std::vector<Task>> parse_list(const yaml::Node& list, const std::string& what, bool handlers);

 private:
  using Entries = std::vector<std::pair<const yaml::Node*, const yaml::Node*>>;

  Result<Task> parse_task(const yaml::Node& node, bool handlers);
  Result<Task> parse_block(const yaml::Node& node, const Entries& entries, bool handlers);
  Result<Task> parse_module_task(Task task, const Entries& entries, const yaml::Node& key,
                                 const yaml::Node& value, bool handlers);
  Result<Task> parse_tasks_file_call(Task task, const Entries& entries, const yaml::Node& key,
                                     const yaml::Node& value, const std::string& action, bool handlers);
  // Sets one keyword on `task`. REQUIRES: `key` is valid for the task's kind.
  Result<void> apply_keyword(Task& task, const std::string& key, const yaml::Node& key_node,
                             const yaml::Node& value);
  Result<void> apply_loop_control(Task& task, const yaml::Node& value);
  // Gathers the module's arguments from `value` and the args: keyword.
  Result<void> module_args(Task& task, const ModuleSpec& spec, const yaml::Node& value,
                           const yaml::Node* args_keyword);
  // cmd: of command/shell becomes _raw_params; free-form text is refused
  // where the module takes none. Errors point at `at`.
  Result<void> free_form(Task& task, const ModuleSpec& spec, const yaml::Node& at);

  LoadState& state_;
  NodeReader reader_;
};

// Reads a task file; `handlers` as in parse_list. The file joins the
// import stack while it is read.
Result<std::vector<Task>> read_task_file(LoadState& state, const std::string& path, bool handlers);

}  // namespace fleetk8s::playbook
