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

TEST_CASE("the recap's lines stay Ansible's; a line after them names the hosts that needed connect retries") {
  CHECK(format_connect_retries({{"a", 0}, {"b", 0}}).empty());
  CHECK(format_connect_retries({{"web3", 1}}) == "connect retries: web3 1 (1 host, 1 retry)");
  CHECK(format_connect_retries({{"web3", 1}, {"web4", 0}, {"db1", 2}}) ==
        "connect retries: web3 1, db1 2 (2 hosts, 3 retries)");

  auto recap_text = [](const std::vector<std::pair<std::string, HostStats>>& stats) {
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* f = open_memstream(&buf, &len);
    make_text_reporter(f, 0)->recap(stats);
    std::fclose(f);
    const std::string out(buf, len);
    std::free(buf);
    return out;
  };
  HostStats ok, retried, lost;
  ok.ok = 1;
  retried.ok = 1;
  retried.connect_retries = 1;
  lost.unreachable = 1;
  lost.connect_retries = 2;
  CHECK(recap_text({{"a", ok}}) == "\n" + banner("PLAY RECAP") + "\n" + format_recap_line("a", ok) + "\n\n");
  CHECK(recap_text({{"a", ok}, {"b", retried}, {"c", lost}}) ==
        "\n" + banner("PLAY RECAP") + "\n" + format_recap_line("a", ok) + "\n" + format_recap_line("b", retried) +
            "\n" + format_recap_line("c", lost) + "\nconnect retries: b 1, c 2 (2 hosts, 3 retries)\n\n");
  // The recap line itself is the same with or without retries.
  CHECK(format_recap_line("b", retried) == format_recap_line("b", ok));
}
