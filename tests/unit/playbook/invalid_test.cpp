// Each playbook under tests/data/playbooks/invalid/ fails with one exact
// message at one exact place.
#include <catch2/catch.hpp>

#include "fleetk8s/playbook/loader.h"

using fleetk8s::ErrorKind;
using namespace fleetk8s::playbook;

namespace {

const std::string kDir = std::string(FLEETK8S_SOURCE_DIR) + "/tests/data/playbooks/invalid/";

struct Case {
  const char* file;
  const char* message;  // after "DIR/"
};

const Case kCases[] = {
    // Keywords and modules
    {"unknown-keyword.yml", "unknown-keyword.yml:5:7: unknown task keyword 'wen' (did you mean 'when'?)"},
    {"unknown-module.yml", "unknown-module.yml:4:7: unknown module 'cpy' (did you mean 'copy'?)"},
    {"two-modules.yml", "two-modules.yml:4:7: a task runs one module, but this one has both 'copy' and 'template'"},
    {"no-module.yml", "no-module.yml:3:7: a task needs a module to run; this one has none"},
    {"bad-tags.yml", "bad-tags.yml:4:13: tags must be a string or a list of strings; got a mapping"},
    {"bad-bool.yml", "bad-bool.yml:4:15: become must be a boolean; got 'maybe'"},
    {"templated-bool.yml", "templated-bool.yml:2:11: become must be a literal boolean; templates are not supported here yet"},
    {"bad-register.yml", "bad-register.yml:4:17: register: 'my-result' is not a valid variable name: use letters, "
                         "digits and _, not starting with a digit"},
    {"listen-on-task.yml", "listen-on-task.yml:4:7: listen is only valid on handlers"},
    {"loop-control-typo.yml", "loop-control-typo.yml:6:9: unknown loop_control keyword 'lop_var' (did you mean 'loop_var'?)"},
    {"loop-on-block.yml", "loop-on-block.yml:3:7: 'loop' is not valid on a block (a block holds tasks: put it on them)"},
    {"handler-block.yml", "handler-block.yml:3:7: a handler cannot be a block (Ansible does not support it either)"},
    {"tasks-not-a-list.yml", "tasks-not-a-list.yml:3:5: tasks must be a list of tasks; got a mapping"},
    // Module arguments
    {"unsupported-param.yml", "unsupported-param.yml:5:9: copy: unsupported parameter 'dst' (did you mean 'dest'?); "
                              "supported: backup, content, dest, force, group, mode, owner, remote_src, src"},
    {"missing-required.yml", "missing-required.yml:4:7: copy: missing required parameter 'dest'"},
    {"bad-choice.yml", "bad-choice.yml:5:9: dnf: state must be one of: absent, installed, latest, present, removed; "
                       "got 'installed2'"},
    {"mutually-exclusive.yml", "mutually-exclusive.yml:5:9: copy: parameters are mutually exclusive: src, content"},
    {"required-if.yml", "required-if.yml:5:9: sysctl: state is present but all of the following are missing: value"},
    {"same-parameter-twice.yml", "same-parameter-twice.yml:4:9: lineinfile: 'dest' and 'path' are the same parameter; give one"},
    {"bad-arg-type.yml", "bad-arg-type.yml:3:13: copy: backup must be a boolean; got 'maybe'"},
    {"bad-mode.yml", "bad-mode.yml:5:9: file: mode must be an octal mode like '0644' or a symbolic one like "
                     "'u=rw,g=r'; got 'rw-r--r--'"},
    {"bad-meta.yml", "bad-meta.yml:3:13: meta: action must be one of: flush_handlers, noop, end_play, end_host; "
                     "got 'clear_facts'"},
    {"free-form-copy.yml", "free-form-copy.yml:3:13: copy takes no free-form text, only key=value arguments; "
                           "got 'just some words'"},
    {"cmd-and-free-form.yml", "cmd-and-free-form.yml:3:14: shell: the 'cmd' argument cannot be used when other raw "
                              "parameters are specified; put everything in one or the other place"},
    // Not supported yet
    {"delegate-to.yml", "delegate-to.yml:4:7: delegate_to is not supported yet"},
    {"local-action.yml", "local-action.yml:3:7: local_action is not supported yet"},
    {"roles.yml", "roles.yml:2:3: roles are not supported yet"},
    {"include-role.yml", "include-role.yml:3:7: include_role is not supported yet (roles)"},
    {"with-fileglob.yml", "with-fileglob.yml:4:7: with_fileglob is not supported yet; use loop, with_items, with_list "
                          "or with_dict"},
    {"become-method.yml", "become-method.yml:5:22: become_method 'su' is not supported; only sudo is"},
    {"strategy.yml", "strategy.yml:2:13: strategy 'host_pinned' is not supported; use linear or free"},
    {"unsafe.yml", "unsafe.yml:4:14: the !unsafe tag is not supported yet"},
    {"import-playbook-when.yml", "import-playbook-when.yml:2:3: when on import_playbook is not supported yet"},
    // Plays and playbooks
    {"unknown-play-keyword.yml", "unknown-play-keyword.yml:2:3: unknown play keyword 'hsots' (did you mean 'hosts'?)"},
    {"no-hosts.yml", "no-hosts.yml:1:3: a play needs hosts: (a host pattern such as all)"},
    {"module-in-play.yml", "module-in-play.yml:2:3: 'copy' belongs in a task, not in a play: put it under tasks: "
                           "(is this a task file rather than a playbook?)"},
    {"not-a-list.yml", "not-a-list.yml:1:1: a playbook must be a list of plays; got a mapping"},
    {"empty.yml", "empty.yml:1:1: empty playbook, nothing to do"},
    {"duplicate-key.yml", "duplicate-key.yml:4:7: duplicate key \"debug\" (first defined on line 3)"},
    // Imports
    {"import-loop.yml", "import-loop.yml:4:7: loops cannot be used on import_tasks; use include_tasks instead"},
    {"import-bad-file.yml", "tasks/bad-tasks.yml:5:3: unknown module 'shel' (did you mean 'shell'?)"},
};

}  // namespace

TEST_CASE("each invalid playbook fails with its message and place", "[playbook][loader][errors]") {
  for (const Case& c : kCases) {
    DYNAMIC_SECTION(c.file) {
      auto r = load_playbook(kDir + c.file);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message() == kDir + c.message);
      CHECK(r.error().kind() == ErrorKind::kInvalidInput);
    }
  }
}

TEST_CASE("import errors name the files involved", "[playbook][loader][errors]") {
  auto missing = load_playbook(kDir + "import-missing.yml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == kDir + "import-missing.yml:3:21: import_tasks: file not found: "
                                            "tasks/missing.yml (looked for " + kDir + "tasks/missing.yml)");
  auto cycle = load_playbook(kDir + "import-cycle.yml");
  REQUIRE_FALSE(cycle.ok());
  CHECK(cycle.error().message() == kDir + "tasks/cycle-b.yml:2:17: import_tasks makes a cycle: " + kDir +
                                       "import-cycle.yml -> " + kDir + "tasks/cycle-a.yml -> " + kDir +
                                       "tasks/cycle-b.yml -> " + kDir + "tasks/cycle-a.yml");
  auto playbook = load_playbook(kDir + "import-playbook-missing.yml");
  REQUIRE_FALSE(playbook.ok());
  CHECK(playbook.error().message() == kDir + "import-playbook-missing.yml:1:20: import_playbook: " + kDir +
                                          "nowhere.yml: cannot read: No such file or directory");
}

TEST_CASE("a task file given as a playbook says so", "[playbook][loader][errors]") {
  auto r = load_playbook(kDir + "tasks/bad-tasks.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == kDir + "tasks/bad-tasks.yml:2:3: 'debug' belongs in a task, not in a play: put it "
                                      "under tasks: (is this a task file rather than a playbook?)");
}

TEST_CASE("a missing playbook is kNotFound", "[playbook][loader][errors]") {
  auto r = load_playbook("/nonexistent/site.yml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
  CHECK(r.error().message() == "/nonexistent/site.yml: cannot read: No such file or directory");
}
