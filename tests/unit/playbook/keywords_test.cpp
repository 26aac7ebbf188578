#include <catch2/catch.hpp>

#include "fleetk8s/playbook/loader.h"

using fleetk8s::Value;
using namespace fleetk8s::playbook;

namespace {

const std::string kDir = std::string(FLEETK8S_SOURCE_DIR) + "/tests/data/playbooks/";

const Playbook& keywords() {
  static const Playbook pb = [] {
    auto r = load_playbook(kDir + "keywords.yml");
    if (!r.ok()) FAIL(r.error().message());
    return std::move(*r);
  }();
  return pb;
}

std::string where(const Position& p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

}  // namespace

TEST_CASE("keywords.yml: play keywords", "[playbook][loader]") {
  const Playbook& pb = keywords();
  REQUIRE(pb.plays.size() == 2);
  const Play& p = pb.plays[0];
  CHECK(p.name == "Keywords");
  CHECK(where(p.pos) == "3:3");
  CHECK(p.base_dir == kDir.substr(0, kDir.size() - 1));
  CHECK(p.hosts == "control_plane,workers");
  CHECK(where(p.hosts_pos) == "5:5");
  CHECK(p.become == true);
  CHECK(p.become_user == "root");
  CHECK_FALSE(p.gather_facts);
  REQUIRE(p.serial.size() == 2);
  CHECK(p.serial[0].value == Value(1));
  CHECK(p.serial[1].value == Value("50%"));
  CHECK(p.any_errors_fatal);
  CHECK(p.max_fail_percentage == 25.0);
  CHECK(p.strategy == "free");
  CHECK(p.order == "sorted");
  CHECK(p.tags == std::vector<std::string>{"setup", "k8s"});
  CHECK(p.check_mode == false);
  CHECK(p.diff == true);
  REQUIRE(p.environment.size() == 1);
  CHECK(p.environment[0].value == Value(Value::Object{{"http_proxy", "http://proxy:3128"}}));
  CHECK(p.vars.at("retries_wanted") == Value(5));
  CHECK(where(p.var_pos.at("packages")) == "25:5");
  REQUIRE(p.vars_files.size() == 2);
  CHECK(p.vars_files[0].value == Value("vars/common.yml"));
  CHECK(p.vars_files[1].value == Value(Value::Array{"vars/{{ ansible_os_family }}.yml", "vars/default.yml"}));
}

TEST_CASE("keywords.yml: every task keyword", "[playbook][loader]") {
  const Task& t = keywords().plays[0].tasks.at(0);
  CHECK(t.name == "Every task keyword");
  CHECK(t.kind == Task::Kind::kModule);
  CHECK(where(t.pos) == "38:7");
  CHECK(t.module == "command");
  CHECK(where(t.module_pos) == "39:7");
  CHECK(t.args == Value::Object{{"_raw_params", "/bin/true"}});
  CHECK(where(t.arg_pos.at("_raw_params")) == "39:16");
  REQUIRE(t.when.size() == 2);
  CHECK(t.when[0].value == Value("a is defined"));
  CHECK(where(t.when[1].pos) == "42:11");
  CHECK(t.register_var == "result");
  REQUIRE(t.changed_when.size() == 1);
  CHECK(t.changed_when[0].value == Value("result.rc == 2"));
  REQUIRE(t.failed_when.size() == 2);
  CHECK(t.failed_when[1].value == Value("'boom' in result.stderr"));
  CHECK(t.ignore_errors == true);
  CHECK(t.ignore_unreachable == false);
  REQUIRE(t.loop);
  CHECK(t.loop->value == Value("{{ packages }}"));
  CHECK(t.loop_with.empty());
  CHECK(t.loop_var == "pkg");
  CHECK(t.index_var == "idx");
  REQUIRE(t.loop_label);
  CHECK(t.loop_label->value == Value("{{ pkg }}"));
  CHECK(t.loop_pause == 0.5);
  CHECK(t.loop_extended);
  CHECK(t.retries == 4);
  CHECK(t.delay == 2);
  REQUIRE(t.until.size() == 1);
  CHECK(t.until[0].value == Value("result is succeeded"));
  CHECK(t.notify == std::vector<std::string>{"Restart things"});
  CHECK(t.tags == std::vector<std::string>{"one", "two"});
  CHECK(t.no_log == false);
  CHECK(t.become == false);
  CHECK(t.become_user == "nobody");
  REQUIRE(t.environment.size() == 2);
  CHECK(t.environment[0].value == Value(Value::Object{{"LANG", "C"}}));
  CHECK(t.environment[1].value == Value("{{ extra_env }}"));
  CHECK(t.vars == Value::Object{{"x", 1}, {"y", "{{ x + 1 }}"}});
  CHECK(t.run_once == true);
  CHECK(t.check_mode == false);
  CHECK(t.diff == false);
  CHECK(t.any_errors_fatal == false);
  CHECK(t.timeout == 30);
}

TEST_CASE("keywords.yml: defaults of unset keywords", "[playbook][loader]") {
  const Task& t = keywords().plays[0].tasks.at(2);
  CHECK(t.name.empty());
  CHECK_FALSE(t.register_var);
  CHECK_FALSE(t.ignore_errors);
  CHECK_FALSE(t.become);
  CHECK(t.loop_var == "item");
  CHECK(t.retries == 3);
  CHECK(t.delay == 5);
  CHECK(t.when.empty());
  CHECK(t.tags.empty());
  CHECK_FALSE(t.timeout);
}

TEST_CASE("keywords.yml: with_items, with_dict and with_list become loops", "[playbook][loader]") {
  const auto& tasks = keywords().plays[0].tasks;
  REQUIRE(tasks.at(1).loop);
  CHECK(tasks[1].loop_with == "items");
  CHECK(tasks[1].loop->value == Value(Value::Array{Value::Array{1, 2}, 3}));
  CHECK(tasks[1].args == Value::Object{{"msg", "{{ item }}"}});
  CHECK(tasks.at(2).loop_with == "dict");
  CHECK(tasks[2].loop->value == Value(Value::Object{{"a", 1}, {"b", 2}}));
  CHECK(tasks.at(3).loop_with == "list");
  CHECK(tasks[3].args == Value::Object{{"var", "item"}});
}

TEST_CASE("keywords.yml: block, rescue and always", "[playbook][loader]") {
  const Task& b = keywords().plays[0].tasks.at(4);
  CHECK(b.kind == Task::Kind::kBlock);
  CHECK(b.name == "A block");
  CHECK(b.become == true);
  CHECK(b.tags == std::vector<std::string>{"blocky"});
  REQUIRE(b.when.size() == 1);
  REQUIRE(b.block.size() == 1);
  CHECK(b.block[0].module == "shell");
  CHECK(b.block[0].args ==
        Value::Object{{"_raw_params", "echo hi"}, {"creates", "/tmp/hi"}, {"chdir", "/tmp"}});
  REQUIRE(b.rescue.size() == 1);
  CHECK(b.rescue[0].args == Value::Object{{"msg", "rescued"}});
  REQUIRE(b.always.size() == 1);
  CHECK(b.always[0].name == "Always");
}

TEST_CASE("keywords.yml: action:, args: and argument aliases", "[playbook][loader]") {
  const auto& tasks = keywords().plays[0].tasks;
  const Task& old = tasks.at(5);
  CHECK(old.module == "copy");
  CHECK(old.args == Value::Object{{"src", "files/a.conf"}, {"dest", "/etc/a.conf"}, {"mode", "0644"}});
  const Task& mapping = tasks.at(6);
  CHECK(mapping.module == "file");
  CHECK(mapping.args == Value::Object{{"path", "/tmp/x"}, {"state", "touch"}});
  const Task& merged = tasks.at(7);
  CHECK(merged.args == Value::Object{{"_raw_params", "echo hi"}, {"chdir", "/tmp"}, {"stdin", "data"}});
  const Task& aliased = tasks.at(8);
  CHECK(aliased.args ==
        Value::Object{{"path", "/etc/hosts"}, {"regexp", "^127"}, {"line", "127.0.0.1 localhost"}});
  CHECK(where(aliased.arg_pos.at("path")) == "123:9");
}

TEST_CASE("keywords.yml: include_tasks, static and templated", "[playbook][loader]") {
  const auto& tasks = keywords().plays[0].tasks;
  const Task& inc = tasks.at(9);
  CHECK(inc.kind == Task::Kind::kIncludeTasks);
  REQUIRE(inc.include_file);
  CHECK(inc.include_file->value == Value("tasks/dynamic.yml"));
  CHECK(inc.imported_from == kDir + "tasks/dynamic.yml");
  REQUIRE(inc.block.size() == 1);
  CHECK(inc.block[0].name == "Dynamic round {{ round }}");
  CHECK(inc.block[0].pos.file == kDir + "tasks/dynamic.yml");
  CHECK(inc.loop_var == "round");
  REQUIRE(inc.loop);
  const Task& templated = tasks.at(10);
  CHECK(templated.kind == Task::Kind::kIncludeTasks);
  CHECK(templated.include_file->value == Value("tasks/{{ ansible_os_family }}.yml"));
  CHECK(templated.block.empty());
  CHECK(templated.imported_from.empty());
}

TEST_CASE("keywords.yml: set_fact key=value and YAML merge keys", "[playbook][loader]") {
  const auto& tasks = keywords().plays[0].tasks;
  CHECK(tasks.at(11).args == Value::Object{{"a", "1"}, {"b", "two words"}});
  const Task& merged = tasks.at(12);
  CHECK(merged.name == "Merge key");
  CHECK(merged.become == true);
  CHECK(merged.tags == std::vector<std::string>{"merged"});
}

TEST_CASE("keywords.yml: import_tasks is inlined as a block", "[playbook][loader]") {
  const Play& p = keywords().plays[0];
  REQUIRE(p.pre_tasks.size() == 1);
  const Task& imp = p.pre_tasks[0];
  CHECK(imp.kind == Task::Kind::kBlock);
  CHECK(imp.imported_from == kDir + "tasks/common.yml");
  CHECK(imp.tags == std::vector<std::string>{"common"});
  CHECK(imp.vars.at("common_dir") == Value("/opt/common"));
  REQUIRE(imp.when.size() == 1);
  REQUIRE(imp.block.size() == 2);
  CHECK(imp.block[0].name == "Common one");
  CHECK(imp.block[0].pos.file == kDir + "tasks/common.yml");
  CHECK(where(imp.block[0].pos) == "2:3");
  // A nested import, relative to the importing file.
  const Task& nested = imp.block[1];
  CHECK(nested.imported_from == kDir + "tasks/nested.yml");
  REQUIRE(nested.block.size() == 1);
  CHECK(nested.block[0].name == "Nested");
}

TEST_CASE("keywords.yml: handlers, listen and imported handlers", "[playbook][loader]") {
  const Play& p = keywords().plays[0];
  REQUIRE(p.handlers.size() == 2);
  CHECK(p.handlers[0].name == "Restart things");
  CHECK(p.handlers[0].listen == std::vector<std::string>{"restart all"});
  REQUIRE(p.handlers[1].block.size() == 1);
  CHECK(p.handlers[1].block[0].listen == std::vector<std::string>{"restart all"});
  REQUIRE(p.post_tasks.size() == 1);
  CHECK(p.post_tasks[0].notify == std::vector<std::string>{"restart all"});
}

TEST_CASE("keywords.yml: import_playbook adds its plays with the import's vars and tags", "[playbook][loader]") {
  const Play& p = keywords().plays.at(1);
  CHECK(p.name == "Imported play");
  CHECK(p.pos.file == kDir + "imported-play.yml");
  CHECK(p.vars.at("imported_var") == Value(42));
  CHECK(p.vars.at("own_var") == Value(2));
  CHECK(p.tags == std::vector<std::string>{"own", "imported"});
}
