// Playbook files: a list of plays and import_playbook entries
// (playbook/__init__.py, playbook_include.py).
#include "fleetk8s/playbook/loader.h"

#include <algorithm>
#include <filesystem>

#include "fleetk8s/playbook/kv_args.h"
#include "fleetk8s/yaml/node.h"
#include "node_reader.h"
#include "play_parser.h"
#include "task_parser.h"

namespace fleetk8s::playbook {
namespace {

using yaml::Node;
namespace fs = std::filesystem;

bool is_import_playbook(const std::string& key) {
  return key == "import_playbook" || key == "ansible.builtin.import_playbook" ||
         key == "ansible.legacy.import_playbook";
}

std::string dir_of(const std::string& path) { return fs::path(path).parent_path().string(); }

Result<std::vector<Play>> parse_entries(LoadState& state, const Node& root, const std::string& file);

// Reads an imported playbook; vars and tags of the import apply to its plays.
Result<std::vector<Play>> import_playbook(LoadState& state, const NodeReader& reader, const Node& entry) {
  const Node* path_node = nullptr;
  Value::Object vars;
  std::map<std::string, Position> var_pos;
  std::vector<std::string> tags;
  for (const auto& [key, value] : map_entries(entry)) {
    const std::string& k = key->scalar();
    if (is_import_playbook(k)) {
      path_node = value;
    } else if (k == "vars") {
      if (auto r = reader.vars(*value, vars, var_pos); !r.ok()) return r.error();
    } else if (k == "tags") {
      auto l = reader.string_list(*value, k, true);
      if (!l.ok()) return l.error();
      tags = std::move(*l);
    } else if (k == "when") {
      return reader.error(*key, "when on import_playbook is not supported yet");
    } else if (k != "name") {
      return reader.error(*key, "'" + k + "' is not valid on import_playbook (name, vars, tags are)");
    }
  }
  if (!path_node->is_scalar() || path_node->scalar().empty()) {
    return reader.error(*path_node, "import_playbook needs a file name");
  }
  auto words = split_args(path_node->scalar());
  if (!words.ok()) return reader.error(*path_node, words.error().message());
  if (words->size() != 1) {
    return reader.error(*path_node, "import_playbook takes only a file name; pass variables with vars:");
  }
  std::string name = (*words)[0];
  if (is_template(name)) {
    return reader.error(*path_node, "import_playbook needs a literal file name; templates are not supported yet");
  }
  fs::path path = fs::path(name).is_absolute() ? fs::path(name) : (fs::path(dir_of(reader.file())) / name).lexically_normal();
  for (const std::string& open : state.stack) {
    std::error_code ec;
    if (fs::equivalent(open, path, ec)) {
      std::string chain;
      for (const std::string& f : state.stack) chain += f + " -> ";
      return reader.error(*path_node, "import_playbook makes a cycle: " + chain + path.string());
    }
  }
  auto root = yaml::load_file(path.string());
  if (!root.ok()) return reader.error(*path_node, "import_playbook: " + root.error().message());

  std::string saved_dir = state.top_dir;
  state.top_dir = dir_of(path.string());
  state.stack.push_back(path.string());
  auto plays = parse_entries(state, *root, path.string());
  state.stack.pop_back();
  state.top_dir = saved_dir;
  if (!plays.ok()) return plays.error();

  for (Play& play : *plays) {
    for (auto& [k, v] : vars) {
      play.vars[k] = v;
      play.var_pos[k] = var_pos[k];
    }
    for (const std::string& t : tags) {
      if (std::find(play.tags.begin(), play.tags.end(), t) == play.tags.end()) play.tags.push_back(t);
    }
  }
  return plays;
}

Result<std::vector<Play>> parse_entries(LoadState& state, const Node& root, const std::string& file) {
  NodeReader reader(file);
  if (root.is_null()) return reader.error(root, "empty playbook, nothing to do");
  if (!root.is_sequence()) {
    return reader.error(root, "a playbook must be a list of plays; got a " + std::string(root.kind_name()));
  }
  if (root.items().empty()) return reader.error(root, "a playbook must contain at least one play");
  std::vector<Play> plays;
  for (const Node& entry : root.items()) {
    if (!entry.is_map()) {
      return reader.error(entry, "a playbook entry must be a play or an import_playbook; got a " +
                                     std::string(entry.kind_name()));
    }
    bool is_import = std::any_of(entry.entries().begin(), entry.entries().end(),
                                 [](const auto& e) { return is_import_playbook(e.first.scalar()); });
    if (is_import) {
      auto imported = import_playbook(state, reader, entry);
      if (!imported.ok()) return imported.error();
      for (Play& p : *imported) plays.push_back(std::move(p));
      continue;
    }
    auto play = parse_play(state, reader, entry);
    if (!play.ok()) return play.error();
    plays.push_back(std::move(*play));
  }
  return plays;
}

}  // namespace

Result<Playbook> parse_playbook(std::string_view text, const std::string& path) {
  auto root = yaml::parse(text, path);
  if (!root.ok()) return root.error();
  LoadState state{dir_of(path), {path}};
  auto plays = parse_entries(state, *root, path);
  if (!plays.ok()) return plays.error();
  return Playbook{path, std::move(*plays)};
}

Result<Playbook> load_playbook(const std::string& path) {
  auto root = yaml::load_file(path);
  if (!root.ok()) return root.error();
  LoadState state{dir_of(path), {path}};
  auto plays = parse_entries(state, *root, path);
  if (!plays.ok()) return plays.error();
  return Playbook{path, std::move(*plays)};
}

Result<std::vector<Task>> load_task_file(const std::string& path, bool handlers) {
  LoadState state{dir_of(path), {}};
  return read_task_file(state, path, handlers);
}

}  // namespace fleetk8s::playbook
