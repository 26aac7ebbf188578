#include <catch2/catch.hpp>

#include "fleetk8s/template/render.h"
#include "tag_filter.h"
#include "var_scope.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

std::string render(const VarScope& scope, const std::string& text) {
  auto v = tmpl::render(text, scope, tmpl::Origin{"t.yml", 1, 1});
  if (auto e = scope.take_error()) return "ERROR: " + e->message();
  return v ? v->to_display() : "ERROR: " + v.error().message();
}

}  // namespace

TEST_CASE("the first layer that holds a variable wins") {
  Value::Object extra{{"x", "extra"}}, task{{"x", "task"}, {"y", "task"}}, play{{"y", "play"}, {"z", "play"}};
  VarScope scope;
  scope.add(&extra);
  scope.add(&task);
  scope.add(&play);
  CHECK(render(scope, "{{ x }} {{ y }} {{ z }}") == "extra task play");
}

TEST_CASE("variables are templated lazily, against the whole scope") {
  // A play var that uses an inventory var of lower precedence, and an
  // extra var that overrides what it refers to.
  Value::Object extra{{"port", 8443}}, play{{"url", "https://{{ host }}:{{ port }}/"}, {"port", 443}},
      inventory{{"host", "cp1"}};
  VarScope scope;
  scope.add(&extra);
  scope.add(&play);
  scope.add(&inventory);
  CHECK(render(scope, "{{ url }}") == "https://cp1:8443/");
  // Lists and dicts holding templates keep their shape.
  Value::Object nested{{"paths", Value::Array{"{{ host }}/a", "b"}}};
  VarScope s2;
  s2.add(&nested);
  s2.add(&inventory);
  CHECK(render(s2, "{{ paths | join(',') }}") == "cp1/a,b");
}

TEST_CASE("a variable defined through itself is an error, not a hang") {
  Value::Object vars{{"a", "{{ b }}"}, {"b", "{{ a }}"}};
  VarScope scope;
  scope.add(&vars);
  CHECK_THAT(render(scope, "{{ a }}"), Catch::Contains("recursive loop detected"));
}

TEST_CASE("an undefined variable inside another is reported with both names") {
  Value::Object vars{{"a", "x-{{ missing }}"}};
  VarScope scope;
  scope.add(&vars);
  const auto out = render(scope, "{{ a }}");
  CHECK_THAT(out, Catch::Contains("in variable 'a'"));
  CHECK_THAT(out, Catch::Contains("missing"));
}

TEST_CASE("dynamic variables are computed only when asked for") {
  int calls = 0;
  Value hv = Value::Object{{"cp1", Value::Object{{"ip", "10.0.0.1"}}}};
  VarScope scope;
  scope.add_dynamic("hostvars", [&] {
    ++calls;
    return &hv;
  });
  Value::Object plain{{"x", 1}};
  scope.add(&plain);
  CHECK(render(scope, "{{ x }}") == "1");
  CHECK(calls == 0);
  CHECK(render(scope, "{{ hostvars['cp1'].ip }}") == "10.0.0.1");
  CHECK(calls == 1);
}

TEST_CASE("hostvars[host] builds that host's entry alone; other uses build all of it") {
  int whole = 0, members = 0;
  Value hv = Value::Object{{"cp1", Value::Object{{"ip", "10.0.0.1"}}}, {"w1", Value::Object{{"ip", "10.0.0.2"}}}};
  VarScope scope;
  scope.add_dynamic("hostvars", [&] {
    ++whole;
    return &hv;
  });
  scope.add_dynamic_members("hostvars", [&](const std::string& host) {
    ++members;
    return hv.find(host);
  });
  CHECK(render(scope, "{{ hostvars['cp1'].ip }} {{ hostvars.w1.ip }}") == "10.0.0.1 10.0.0.2");
  CHECK(render(scope, "{% for h in ['w1'] %}{{ hostvars[h]['ip'] }}{% endfor %}") == "10.0.0.2");
  CHECK(whole == 0);
  CHECK(members == 3);
  // A host it does not know: the whole variable says so, as before.
  CHECK_THAT(render(scope, "{{ hostvars['nope'].ip }}"), Catch::Contains("has no attribute 'nope'"));
  CHECK(render(scope, "{{ hostvars['nope'] | default('none') }}") == "none");
  CHECK(render(scope, "{{ hostvars | length }}") == "2");
  CHECK(whole == 3);
  // A variable named hostvars hides the dynamic one, members too.
  Value::Object mine{{"hostvars", Value::Object{{"cp1", "own"}}}};
  scope.add(&mine);
  CHECK(render(scope, "{{ hostvars['cp1'] }} {{ hostvars.cp1 }}") == "own own");
  CHECK(members == 5);
}

TEST_CASE("a host's facts answer ansible_* and ansible_facts, stored once") {
  Value::Object facts{{"ansible_distribution", "Rocky"}, {"ansible_nodename", "n1"}};
  Value::Object play{{"ansible_nodename", "from-play"}};
  VarScope scope;
  scope.add(&play);
  scope.add_facts(&facts);
  CHECK(render(scope, "{{ ansible_distribution }} {{ ansible_nodename }}") == "Rocky from-play");
  CHECK(render(scope, "{{ ansible_facts.distribution }} {{ ansible_facts['nodename'] }} {{ ansible_facts | length }}") ==
        "Rocky n1 2");
  CHECK(facts_object(facts) == Value(Value::Object{{"distribution", "Rocky"}, {"nodename", "n1"}}));
  // Not gathered: undefined, as before.
  Value::Object none;
  VarScope bare;
  bare.add_facts(&none);
  CHECK(render(bare, "{{ ansible_facts is defined }}") == "False");
  CHECK(facts_object(none).is_null());
}

TEST_CASE("tags select tasks as ansible-playbook does") {
  using V = std::vector<std::string>;
  // No --tags: everything but "never".
  CHECK(tag_selected({}, {}, {}));
  CHECK(tag_selected({"a"}, {}, {}));
  CHECK_FALSE(tag_selected({"never"}, {}, {}));
  CHECK(tag_selected({"never", "debug"}, V{"debug"}, {}));
  // --tags a
  CHECK(tag_selected({"a", "b"}, V{"a"}, {}));
  CHECK_FALSE(tag_selected({"b"}, V{"a"}, {}));
  CHECK_FALSE(tag_selected({}, V{"a"}, {}));
  CHECK(tag_selected({"always"}, V{"a"}, {}));
  // special selectors
  CHECK(tag_selected({"x"}, V{"tagged"}, {}));
  CHECK_FALSE(tag_selected({}, V{"tagged"}, {}));
  CHECK(tag_selected({}, V{"untagged"}, {}));
  CHECK_FALSE(tag_selected({"never"}, V{"tagged"}, {}));
  // --skip-tags wins, even over always
  CHECK_FALSE(tag_selected({"a"}, {}, V{"a"}));
  CHECK_FALSE(tag_selected({"always"}, {}, V{"always"}));
  CHECK(tag_selected({"always"}, {}, V{"b"}));
  CHECK_FALSE(tag_selected({"a"}, {}, V{"tagged"}));
  CHECK(tag_selected({"a"}, {}, V{"untagged"}));
}

TEST_CASE("data from hosts is never templated again") {
  // A registered result whose output holds template code (a hostile host,
  // or a file that happens to contain {{ }}), and the secret it names.
  Value::Object secrets{{"ansible_become_password", "s3cret"}};
  Value::Object registered{{"r", Value::Object{{"stdout", "{{ ansible_become_password }}"}}},
                           {"line", "{% for x in [1] %}{{ x }}{% endfor %}"}};
  Value::Object facts{{"ansible_hostname", "{{ ansible_become_password }}"}};
  VarScope scope;
  scope.add(&secrets);
  scope.add_data(&registered);
  scope.add_data(&facts);
  CHECK(render(scope, "{{ r.stdout }}") == "{{ ansible_become_password }}");
  CHECK(render(scope, "{{ line }}") == "{% for x in [1] %}{{ x }}{% endfor %}");
  CHECK(render(scope, "{{ ansible_hostname }}") == "{{ ansible_become_password }}");
  // The admin's own variables are still templates.
  Value::Object play{{"greeting", "hello {{ ansible_hostname }}"}};
  scope.add(&play);
  CHECK(render(scope, "{{ greeting }}") == "hello {{ ansible_become_password }}");
}
