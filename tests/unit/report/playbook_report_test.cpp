#include <catch2/catch.hpp>

#include <cstdio>

#include "fleetk8s/report/playbook_report.h"

using namespace fleetk8s;
using namespace fleetk8s::report;

TEST_CASE("recap lines are byte-for-byte ansible-playbook's") {
  HostStats s;
  s.ok = 12;
  s.changed = 5;
  s.rescued = 1;
  // Captured from ansible-playbook 2.14 (ANSIBLE_NOCOLOR=1).
  CHECK(format_recap_line("cp1", s) ==
        "cp1                        : ok=12   changed=5    unreachable=0    failed=0    skipped=0    rescued=1    ignored=0   ");
  CHECK(format_recap_line("a-very-long-host-name.example.com", HostStats{}).rfind("a-very-long-host-name.example.com : ok=0", 0) == 0);
}

TEST_CASE("banners fill 80 columns with stars") {
  CHECK(banner("PLAY RECAP") == "PLAY RECAP " + std::string(69, '*'));
  CHECK(banner("TASK [x]").size() == 80);
}

TEST_CASE("results print on one line with Python's separators, or indented") {
  Value v = Value::Object{{"msg", "boom"}, {"rc", 2}, {"lines", Value::Array{"a", "b"}}, {"changed", false}};
  CHECK(result_json(v, false) == R"({"changed": false, "lines": ["a", "b"], "msg": "boom", "rc": 2})");
  CHECK(result_json(Value::Object{{"msg", "x"}}, true) == "{\n    \"msg\": \"x\"\n}");
}

TEST_CASE("the text reporter prints Ansible's lines") {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  {
    auto r = make_text_reporter(f, 0);
    r->task_start("TASK", "install");
    TaskResultEvent ok;
    ok.host = "cp1";
    ok.status = TaskStatus::kChanged;
    ok.result = Value::Object{{"changed", true}};
    r->task_result(ok);
    TaskResultEvent item;
    item.host = "w1";
    item.status = TaskStatus::kOk;
    item.is_item = true;
    item.item_label = "crio";
    r->task_result(item);
    TaskResultEvent bad;
    bad.host = "w2";
    bad.status = TaskStatus::kFailed;
    bad.ignored = true;
    bad.result = Value::Object{{"msg", "no"}};
    r->task_result(bad);
  }
  std::fclose(f);
  const std::string out(buf, len);
  std::free(buf);
  CHECK(out == "\n" + banner("TASK [install]") +
                   "\nchanged: [cp1]\nok: [w1] => (item=crio)\nfatal: [w2]: FAILED! => {\"msg\": \"no\"}\n...ignoring\n");
}
