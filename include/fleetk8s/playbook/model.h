// The playbook model: Ansible's playbook language (a faithful subset) as
// plain data. Nothing here is templated: strings keep their {{ }} and {% %}
// exactly as written, with where they were written, for the template engine
// to parse and evaluate per host at run time. Built by loader.h; every
// value below has been checked for shape (lists are lists, booleans are
// booleans) and every module call against module_catalog.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fleetk8s/core/value.h"

namespace fleetk8s::playbook {

// Where something was written. Line and column are 1-based (0: unknown).
struct Position {
  std::string file;
  int line = 0;
  int column = 0;

  // "FILE:LINE:COL", the prefix of every message about this place.
  std::string to_string() const;
};

// An untemplated value as written (a string may hold {{ }}), and where.
struct Raw {
  Value value;
  Position pos;
};

// One entry of a task list: a module call, a block, or a dynamic include.
// Inheritable keywords are optional: unset means "as the enclosing block or
// play says", as in Ansible.
struct Task {
  enum class Kind {
    kModule,        // runs `module` with `args`
    kBlock,         // block/rescue/always; also a static import_tasks
    kIncludeTasks,  // include_tasks: `include_file` is read at run time
  };

  Kind kind = Kind::kModule;
  std::string name;  // may be templated; empty when unnamed
  Position pos;      // the task's mapping

  // -- kModule
  // Canonical module name ("copy", "dnf", "yum", "package", "systemd",
  // "sysctl", ...): FQCNs and module aliases are resolved.
  std::string module;
  Position module_pos;  // the module's key
  // Module arguments with argument aliases resolved to canonical names
  // ("dest" of lineinfile is stored as "path"). Free-form text of command,
  // shell and raw (and a `cmd:` argument) is "_raw_params"; meta's action
  // too. `args:` is merged in (module arguments win). Values are raw.
  Value::Object args;
  std::map<std::string, Position> arg_pos;  // where each argument was written

  // -- kBlock. For a static import_tasks, `block` holds the imported tasks
  // (keeping their own positions) and `imported_from` the file read; the
  // import's keywords (when, tags, vars, become, ...) are this block's.
  std::vector<Task> block, rescue, always;
  std::string imported_from;

  // -- kIncludeTasks. The file as written (relative to the playbook's
  // directory unless absolute). When it is not templated it was already
  // loaded and validated into `block`, with `imported_from` set.
  std::optional<Raw> include_file;

  // -- Conditions. Each list is "and"-ed, as Ansible does; an entry is a
  // bare Jinja expression (string) or a literal bool/number.
  std::vector<Raw> when;
  std::vector<Raw> changed_when;
  std::vector<Raw> failed_when;
  std::vector<Raw> until;
  int retries = 3;  // with `until`: Ansible 2.14 makes retries + 1 attempts
  int delay = 5;    // seconds between attempts

  std::optional<std::string> register_var;

  // -- Loops. `loop` is a list literal or a template string. `loop_with`
  // says how it was written: "" for loop:, "items" (with_items: flattens
  // nested lists one level), "list" (with_list: as is), "dict" (with_dict:
  // iterate over `value | dict2items`).
  std::optional<Raw> loop;
  std::string loop_with;
  std::string loop_var = "item";          // loop_control.loop_var
  std::optional<std::string> index_var;   // loop_control.index_var
  std::optional<Raw> loop_label;          // loop_control.label
  double loop_pause = 0;                  // loop_control.pause, seconds
  bool loop_extended = false;             // loop_control.extended

  // -- Handlers
  std::vector<std::string> notify;  // handler names or listen topics
  std::vector<std::string> listen;  // (handlers only) topics it answers to

  std::vector<std::string> tags;    // "a,b" strings are split, as Ansible does

  std::optional<bool> ignore_errors;
  std::optional<bool> ignore_unreachable;
  std::optional<bool> no_log;
  std::optional<bool> become;             // become_method: only sudo exists
  std::optional<std::string> become_user;
  std::optional<bool> check_mode;
  std::optional<bool> diff;
  std::optional<bool> run_once;
  std::optional<bool> any_errors_fatal;
  std::optional<int> timeout;             // seconds, per task
  // Hosts running this task at once (0: no limit), below --forks: a number,
  // or a template rendered with the first host's variables. A block's or a
  // play's applies to its tasks; the innermost one set wins, as in Ansible.
  std::optional<Raw> throttle;

  // Environment for the module: each entry a mapping or a template string
  // that renders to one, applied in order (later keys win); outer
  // (block, play) environments come first at run time.
  std::vector<Raw> environment;
  Value::Object vars;                     // task (or block) vars, raw
  std::map<std::string, Position> var_pos;
};

struct Play {
  std::string name;
  Position pos;
  std::string base_dir;  // directory of the file the play is in: relative
                         // paths (vars_files, src:) start there
  std::string hosts;     // host pattern; a YAML list is joined with ","
  Position hosts_pos;

  std::optional<bool> become;
  std::optional<std::string> become_user;
  Value::Object vars;
  std::map<std::string, Position> var_pos;
  std::vector<Raw> vars_files;  // each a path (may be templated) or a list
                                // of paths (the first that exists is read)
  std::vector<Raw> environment;

  std::vector<Task> pre_tasks, tasks, post_tasks, handlers;

  // Batches: empty means all hosts at once; else each entry an int, a
  // "N%" string or a template, the last repeating.
  std::vector<Raw> serial;
  std::optional<Raw> throttle;  // the default of its tasks and blocks (theirs win)
  bool any_errors_fatal = false;
  std::optional<double> max_fail_percentage;  // 0-100; "30%" accepted
  bool gather_facts = true;
  std::string strategy = "linear";  // or "free"
  // inventory, reverse_inventory, sorted, reverse_sorted, shuffle
  std::string order = "inventory";
  std::vector<std::string> tags;
  std::optional<bool> check_mode;
  std::optional<bool> diff;
};

struct Playbook {
  std::string file;          // as given to the loader
  std::vector<Play> plays;   // import_playbook entries are expanded in place
};

}  // namespace fleetk8s::playbook
