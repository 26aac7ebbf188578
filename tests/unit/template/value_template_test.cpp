// ValueTemplate: a task's arguments parsed once, rendered per host.
#include "fleetk8s/template/value_template.h"

#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("value templates: parse once, render per host", "[template][value]") {
  auto args = tmpl::ValueTemplate::parse(lit(R"({
      'cmd': 'kubeadm join {{ endpoint }} --node-name {{ inventory_hostname }}',
      'creates': '/etc/kubernetes/kubelet.conf',
      'env': {'KUBECONFIG': '{{ kubeconfig | default("/etc/kubernetes/admin.conf") }}'},
      'ports': ['{{ port }}', 10250]})"),
                                         kOrigin);
  REQUIRE(args.ok());
  CHECK_FALSE(args->is_static());
  tmpl::MapScope globals(lit("{'endpoint': '10.0.0.1:6443'}").as_object());
  tmpl::MapScope web1(lit("{'inventory_hostname': 'web1', 'port': 30080}").as_object(), &globals);
  tmpl::MapScope web2(lit("{'inventory_hostname': 'web2', 'port': 30081, 'kubeconfig': '/k'}").as_object(),
                      &globals);
  CHECK(*args->render(web1) == lit(R"({
      'cmd': 'kubeadm join 10.0.0.1:6443 --node-name web1',
      'creates': '/etc/kubernetes/kubelet.conf',
      'env': {'KUBECONFIG': '/etc/kubernetes/admin.conf'},
      'ports': [30080, 10250]})"));
  CHECK(*args->render(web2) == lit(R"({
      'cmd': 'kubeadm join 10.0.0.1:6443 --node-name web2',
      'creates': '/etc/kubernetes/kubelet.conf',
      'env': {'KUBECONFIG': '/k'},
      'ports': [30081, 10250]})"));
}

TEST_CASE("value templates: static values", "[template][value]") {
  Value plain = lit("{'a': [1, 'two', {'b': none}], 'c': '{ not a template }'}");
  auto t = tmpl::ValueTemplate::parse(plain, kOrigin);
  REQUIRE(t.ok());
  CHECK(t->is_static());
  CHECK(*t->render(vars()) == plain);
  CHECK(tmpl::ValueTemplate::parse(Value(3), kOrigin)->is_static());
}

TEST_CASE("value templates: errors name the path", "[template][value]") {
  auto t = tmpl::ValueTemplate::parse(lit("{'env': {'PATH': '{{ x | nope }}'}}"), kOrigin);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() == "x.yml:14:9: env.PATH: unknown filter 'nope'");
  auto ok = tmpl::ValueTemplate::parse(lit("{'a': ['{{ missing }}']}"), kOrigin);
  REQUIRE(ok.ok());
  auto r = ok->render(vars());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "x.yml:14:9: a[0]: 'missing' is undefined");
}
