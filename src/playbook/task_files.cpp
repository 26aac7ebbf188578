// import_tasks and include_tasks: finding, reading and inlining task files
// (Ansible's helpers.load_list_of_tasks for TaskInclude).
#include <algorithm>
#include <filesystem>

#include "fleetk8s/playbook/kv_args.h"
#include "task_keywords.h"
#include "task_parser.h"

namespace fleetk8s::playbook {

using yaml::Node;
using namespace keywords;
namespace fs = std::filesystem;

Result<Task> TaskParser::parse_tasks_file_call(Task task, const Entries& entries, const Node& key, const Node& value,
                                               const std::string& action, bool handlers) {
  bool dynamic = action == "include_tasks";
  const Names& valid = dynamic ? kIncludeTasks : kImportTasks;
  const Node* args_keyword = nullptr;
  for (const auto& [k, v] : entries) {
    const std::string& name = k->scalar();
    if (k == &key) continue;
    if (name == "args") args_keyword = v;
    if (!dynamic && contains(kLoops, name)) {
      return reader_.error(*k, "loops cannot be used on import_tasks; use include_tasks instead");
    }
    if (!contains(valid, name)) return reader_.error(*k, "'" + name + "' is not valid on " + action);
  }

  // The file: "import_tasks: x.yml", "import_tasks: file=x.yml" or a mapping with file:.
  Value::Object args;
  if (args_keyword && args_keyword->is_map()) args = yaml::to_value(*args_keyword).as_object();
  const Node* file_node = &value;
  if (value.is_map()) {
    for (const auto& [k, v] : map_entries(value)) {
      args[k->scalar()] = yaml::to_value(*v);
      if (k->scalar() == "file") file_node = v;
    }
  } else if (value.is_scalar()) {
    auto kv = parse_kv(value.scalar());
    if (!kv.ok()) return reader_.error(value, kv.error().message());
    for (auto& [k, v] : *kv) args[k] = std::move(v);
  }
  for (const auto& [k, v] : args) {
    if (k == "apply" && dynamic) return reader_.error(value, "include_tasks: apply is not supported yet");
    if (k != "file" && k != "_raw_params") return reader_.error(value, "invalid option for " + action + ": " + k);
  }
  const Value* file = args.count("_raw_params") ? &args["_raw_params"] : args.count("file") ? &args["file"] : nullptr;
  if (!file || !file->is_string() || file->as_string().empty()) {
    return reader_.error(value, action + " needs a file name");
  }
  const std::string path = file->as_string();

  task.kind = dynamic ? Task::Kind::kIncludeTasks : Task::Kind::kBlock;
  if (dynamic) task.include_file = Raw{path, reader_.pos(*file_node)};
  for (const auto& [k, v] : entries) {
    const std::string& name = k->scalar();
    if (k == &key || name == "args" || name == "action") continue;
    if (auto r = apply_keyword(task, name, *k, *v); !r.ok()) return r.error();
  }
  if (is_template(path)) {
    if (dynamic) return task;  // read at run time
    return reader_.error(*file_node, "import_tasks needs a literal file name; templates are not supported yet "
                                     "(include_tasks takes one)");
  }

  // Relative to the importing file, then to the playbook, as Ansible does.
  std::vector<fs::path> candidates;
  if (fs::path(path).is_absolute()) {
    candidates.push_back(path);
  } else {
    candidates.push_back((fs::path(reader_.file()).parent_path() / path).lexically_normal());
    candidates.push_back((fs::path(state_.top_dir) / path).lexically_normal());
  }
  auto found = std::find_if(candidates.begin(), candidates.end(),
                            [](const fs::path& p) { std::error_code ec; return fs::is_regular_file(p, ec); });
  if (found == candidates.end()) {
    return reader_.error(*file_node, action + ": file not found: " + path + " (looked for " +
                                         candidates.front().string() + ")");
  }
  std::string resolved = found->string();
  for (const std::string& open : state_.stack) {
    std::error_code ec;
    if (fs::equivalent(open, resolved, ec)) {
      std::string chain;
      for (const std::string& f : state_.stack) chain += f + " -> ";
      return reader_.error(*file_node, action + " makes a cycle: " + chain + resolved);
    }
  }
  auto tasks = read_task_file(state_, resolved, handlers);
  if (!tasks.ok()) return tasks.error();
  task.block = std::move(*tasks);
  task.imported_from = resolved;
  return task;
}

Result<std::vector<Task>> read_task_file(LoadState& state, const std::string& path, bool handlers) {
  auto root = yaml::load_file(path);
  if (!root.ok()) return Error(ErrorKind::kInvalidInput, root.error().message());
  NodeReader reader(path);
  if (!root->is_null() && !root->is_sequence()) {
    return reader.error(*root, "a task file must be a list of tasks; got a " + std::string(root->kind_name()));
  }
  state.stack.push_back(path);
  auto tasks = TaskParser(state, path).parse_list(*root, "tasks", handlers);
  state.stack.pop_back();
  return tasks;
}

}  // namespace fleetk8s::playbook
