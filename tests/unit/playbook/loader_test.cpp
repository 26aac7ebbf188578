// The loader on small inline playbooks: forms Ansible accepts, and the
// errors for what it (or fleetk8s) refuses.
#include <catch2/catch.hpp>

#include "fleetk8s/playbook/loader.h"

using fleetk8s::Value;
using namespace fleetk8s::playbook;

namespace {

const std::string kDir = std::string(FLEETK8S_SOURCE_DIR) + "/tests/data/playbooks/";

// The tasks of a one-play playbook whose tasks: are `tasks_yaml`.
std::vector<Task> tasks_of(const std::string& tasks_yaml) {
  auto r = parse_playbook("- hosts: all\n  tasks:\n" + tasks_yaml, "site.yml");
  INFO((r.ok() ? std::string() : r.error().message()));
  REQUIRE(r.ok());
  return r->plays.at(0).tasks;
}

std::string error_of(const std::string& text) {
  auto r = parse_playbook(text, "site.yml");
  REQUIRE_FALSE(r.ok());
  return r.error().message();
}

std::string task_error(const std::string& tasks_yaml) {
  return error_of("- hosts: all\n  tasks:\n" + tasks_yaml);
}

}  // namespace

TEST_CASE("free-form command forms", "[playbook][loader]") {
  auto t = tasks_of(
      "    - command: ls -l creates=/tmp/x removes=/tmp/y chdir=/tmp\n"
      "    - shell:\n"
      "        cmd: echo $HOME\n"
      "        executable: /bin/bash\n"
      "    - command:\n"
      "        argv: [ls, -l]\n"
      "    - raw: echo 'a b' executable=/bin/sh\n"
      "    - shell: |\n"
      "        set -e\n"
      "        echo done\n");
  CHECK(t[0].args == Value::Object{{"_raw_params", "ls -l"}, {"creates", "/tmp/x"}, {"removes", "/tmp/y"}, {"chdir", "/tmp"}});
  CHECK(t[1].args == Value::Object{{"_raw_params", "echo $HOME"}, {"executable", "/bin/bash"}});
  CHECK(t[1].arg_pos.at("_raw_params").line == 5);
  CHECK(t[2].args == Value::Object{{"argv", Value::Array{"ls", "-l"}}});
  CHECK(t[3].args == Value::Object{{"_raw_params", "echo 'a b'"}, {"executable", "/bin/sh"}});
  CHECK(t[4].args == Value::Object{{"_raw_params", "set -e\necho done\n"}});
}

TEST_CASE("templated argument values are left for run time", "[playbook][loader]") {
  auto t = tasks_of(
      "    - dnf:\n"
      "        name: \"{{ packages }}\"\n"
      "        state: \"{{ pkg_state }}\"\n"
      "    - copy: content=x dest=/x backup={{ want_backup }}\n"
      "    - file: path=/x mode={{ mode }}\n");
  CHECK(t[0].args.at("state") == Value("{{ pkg_state }}"));
  CHECK(t[1].args.at("backup") == Value("{{ want_backup }}"));
  // A templated value that decides a required_if is not checked either.
  tasks_of("    - sysctl: name=vm.x state={{ s }}\n");
}

TEST_CASE("literal keyword values: booleans, conditions, tags", "[playbook][loader]") {
  auto t = tasks_of(
      "    - debug: msg=a\n"
      "      when: false\n"
      "      ignore_errors: yes\n"
      "      no_log: 'True'\n"
      "      tags: [1, b]\n"
      "      notify: handler one\n");
  REQUIRE(t[0].when.size() == 1);
  CHECK(t[0].when[0].value == Value(false));
  CHECK(t[0].ignore_errors == true);
  CHECK(t[0].no_log == true);
  CHECK(t[0].tags == std::vector<std::string>{"1", "b"});
  CHECK(t[0].notify == std::vector<std::string>{"handler one"});
}

TEST_CASE("keyword value errors", "[playbook][loader]") {
  CHECK(task_error("    - debug: msg=a\n      when: {a: 1}\n") ==
        "site.yml:4:13: when must be a condition or a list of conditions; got a mapping");
  CHECK(task_error("    - debug: msg=a\n      environment: LANG=C\n") ==
        "site.yml:4:20: environment must be a mapping, a template or a list of those; got 'LANG=C'");
  CHECK(task_error("    - debug: msg=a\n      vars:\n        my-var: 1\n") ==
        "site.yml:5:9: 'my-var' is not a valid variable name: use letters, digits and _, not starting with a digit");
  CHECK(task_error("    - debug: msg=a\n      retries: \"{{ n }}\"\n") ==
        "site.yml:4:16: retries must be a literal integer; templates are not supported here yet");
  CHECK(task_error("    - debug: msg=a\n      loop: {a: 1}\n") ==
        "site.yml:4:13: loop must be a list or a template; got a mapping");
  CHECK(task_error("    - debug: msg=a\n      loop: [1]\n      with_items: [2]\n") ==
        "site.yml:5:7: a task has one loop; this one has two");
  CHECK(task_error("    - debug: msg=a\n      loop_control: x\n") ==
        "site.yml:4:21: loop_control must be a mapping; got a scalar");
  // Seconds past a day, infinite or not a number are no pause (the cast to milliseconds was undefined).
  CHECK(task_error("    - debug: msg=a\n      loop: [1]\n      loop_control: {pause: .nan}\n") ==
        "site.yml:5:29: pause must be a number of seconds from 0 to 86400");
  CHECK(task_error("    - debug: msg=a\n      loop: [1]\n      loop_control: {pause: 1.0e+300}\n") ==
        "site.yml:5:29: pause must be a number of seconds from 0 to 86400");
  CHECK(task_error("    - debug: msg=a\n      loop: [1]\n      loop_control: {pause: -1}\n") ==
        "site.yml:5:29: pause must be a number of seconds from 0 to 86400");
  // Past 32 bits is refused, not wrapped (delay: 4294967306 was a delay of 10 s).
  CHECK(task_error("    - debug: msg=a\n      delay: 4294967306\n") ==
        "site.yml:4:14: delay must be an integer of 32 bits; got '4294967306'");
  CHECK(task_error("    - debug: msg=a\n      retries: -9223372036854775808\n") ==
        "site.yml:4:16: retries must be an integer of 32 bits; got '-9223372036854775808'");
  CHECK(task_error("    - debug: msg=a\n      async: 10\n") == "site.yml:4:7: async is not supported yet");
  CHECK(task_error("    - debug: msg=a\n      throttle: -1\n") ==
        "site.yml:4:17: throttle must be a number of hosts (0: no limit) or a template");
  CHECK(task_error("    - debug: msg=a\n      throttle: many\n") ==
        "site.yml:4:17: throttle must be a number of hosts (0: no limit) or a template");
  auto play = parse_playbook("- hosts: all\n  throttle: '5;reboot'\n  tasks:\n    - debug: msg=a\n", "site.yml");
  REQUIRE_FALSE(play.ok());
  CHECK(play.error().message() == "site.yml:2:13: throttle must be a number of hosts (0: no limit) or a template");
  auto ok = parse_playbook("- hosts: all\n  throttle: 3\n  tasks:\n    - debug: msg=a\n", "site.yml");
  REQUIRE(ok.ok());
  REQUIRE(ok->plays.front().throttle);
  CHECK(ok->plays.front().throttle->value == Value(3));
}

TEST_CASE("module argument form errors", "[playbook][loader]") {
  CHECK(task_error("    - copy: \"{{ copy_args }}\"\n") ==
        "site.yml:3:13: copy: arguments from a template ('{{ copy_args }}') are not supported yet");
  CHECK(task_error("    - copy: [a, b]\n") ==
        "site.yml:3:13: copy: arguments must be a mapping or key=value text; got a sequence");
  CHECK(task_error("    - command: ls\n      args: \"{{ a }}\"\n") ==
        "site.yml:4:13: args from a template are not supported yet; write a mapping");
  CHECK(task_error("    - shell: echo \"unbalanced\n") ==
        "site.yml:3:14: failed at splitting arguments, either an unbalanced jinja2 block or quotes: echo \"unbalanced");
  CHECK(task_error("    - set_fact: just text\n") ==
        "site.yml:3:17: set_fact takes no free-form text, only key=value arguments; got 'just text'");
  CHECK(task_error("    - command: warn=false ls\n") ==
        "site.yml:3:16: command: unsupported parameter 'warn'; supported: argv, chdir, creates, removes, stdin, "
        "stdin_add_newline, strip_empty_ends");
  CHECK(task_error("    - action: cpy src=a dest=b\n") == "site.yml:3:15: unknown module 'cpy' (did you mean 'copy'?)");
}

TEST_CASE("import and include errors", "[playbook][loader]") {
  CHECK(task_error("    - import_tasks: \"{{ os }}.yml\"\n") ==
        "site.yml:3:21: import_tasks needs a literal file name; templates are not supported yet (include_tasks takes one)");
  CHECK(task_error("    - include_tasks:\n        file: x.yml\n        apply:\n          become: true\n") ==
        "site.yml:4:9: include_tasks: apply is not supported yet");
  CHECK(task_error("    - include_tasks: \"{{ x }}.yml\"\n      become: true\n") ==
        "site.yml:4:7: 'become' is not valid on include_tasks");
  CHECK(task_error("    - import_tasks: x.yml\n      register: r\n") ==
        "site.yml:4:7: 'register' is not valid on import_tasks");
  CHECK(task_error("    - import_playbook: other.yml\n") ==
        "site.yml:3:7: import_playbook is only valid as a play of its own, not as a task");
  CHECK(error_of("- import_playbook: other.yml extra=1\n") ==
        "site.yml:1:20: import_playbook takes only a file name; pass variables with vars:");
}

TEST_CASE("play keyword errors", "[playbook][loader]") {
  CHECK(error_of("- hosts: []\n") == "site.yml:1:10: hosts must not be empty");
  CHECK(error_of("- hosts: all\n  serial: many\n") ==
        "site.yml:2:11: serial must be a number of hosts, a percentage like '30%' or a list of those");
  CHECK(error_of("- hosts: all\n  max_fail_percentage: lots\n") ==
        "site.yml:2:24: max_fail_percentage must be a number from 0 to 100");
  CHECK(error_of("- hosts: all\n  order: random\n") ==
        "site.yml:2:10: order must be one of: inventory, reverse_inventory, sorted, reverse_sorted, shuffle; got 'random'");
  CHECK(error_of("- hosts: all\n  vars_prompt:\n    - name: x\n") ==
        "site.yml:2:3: play keyword 'vars_prompt' is not supported yet");
  CHECK(error_of("- hosts: all\n  when: x\n") ==
        "site.yml:2:3: 'when' belongs in a task, not in a play: put it under tasks: (is this a task file rather than a playbook?)");
  CHECK(error_of("- hosts: all\n  tasks: []\n- 3\n") == "site.yml:3:3: a playbook entry must be a play or an import_playbook; got a scalar");
  CHECK(error_of("[]\n") == "site.yml:1:1: a playbook must contain at least one play");
}

TEST_CASE("parse_playbook resolves imports relative to its path", "[playbook][loader]") {
  auto r = parse_playbook("- hosts: all\n  tasks:\n    - import_tasks: tasks/nested.yml\n", kDir + "inline.yml");
  REQUIRE(r.ok());
  REQUIRE(r->plays[0].tasks.at(0).block.size() == 1);
  CHECK(r->plays[0].tasks[0].block[0].name == "Nested");
  CHECK(r->file == kDir + "inline.yml");
}

TEST_CASE("load_task_file reads a task file for a dynamic include", "[playbook][loader]") {
  auto tasks = load_task_file(kDir + "tasks/common.yml");
  REQUIRE(tasks.ok());
  REQUIRE(tasks->size() == 2);
  CHECK((*tasks)[1].imported_from == kDir + "tasks/nested.yml");
  auto handlers = load_task_file(kDir + "handlers/more.yml", /*handlers=*/true);
  REQUIRE(handlers.ok());
  CHECK(handlers->at(0).listen == std::vector<std::string>{"restart all"});
  auto bad = load_task_file(kDir + "keywords.yml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() == kDir + "keywords.yml:4:3: 'hosts' belongs in a play, not in a task "
                                      "(is this a playbook rather than a task file?)");
}
