// The one-shot helpers: render(), render_value(), eval_condition().
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("render: text without markers comes back unchanged", "[template][render]") {
  auto v = tmpl::render("no markers { here } %", vars(), kOrigin);
  REQUIRE(v.ok());
  CHECK(*v == Value("no markers { here } %"));
  CHECK(*tmpl::render("{{ n }}", vars(), kOrigin) == Value(5));
  CHECK(*tmpl::render("v{{ n }}", vars(), kOrigin) == Value("v5"));
}

TEST_CASE("render: is_static", "[template][render]") {
  CHECK(tmpl::Template::parse("plain", kOrigin)->is_static());
  CHECK(tmpl::Template::parse("", kOrigin)->is_static());
  CHECK(tmpl::Template::parse("a {# note #} b", kOrigin)->is_static());
  CHECK(tmpl::Template::parse("{# only a note #}", kOrigin)->is_static());
  CHECK_FALSE(tmpl::Template::parse("{{ x }}", kOrigin)->is_static());
  CHECK_FALSE(tmpl::Template::parse("{% if x %}{% endif %}", kOrigin)->is_static());
}

TEST_CASE("render: render_value renders every string inside", "[template][render]") {
  Value args = lit(R"({
      'name': 'user {{ users[0].name }}',
      'groups': ['{{ lst }}', 'static', '{{ n }}'],
      'opts': {'count': '{{ n * 2 }}', 'flag': true, 'none': none},
      '{{ key }}': 'keys are not templated'})");
  auto out = tmpl::render_value(args, vars(), kOrigin);
  REQUIRE(out.ok());
  CHECK(*out == lit(R"({
      'name': 'user alice',
      'groups': [['a', 'b', 'c'], 'static', 5],
      'opts': {'count': 10, 'flag': true, 'none': none},
      '{{ key }}': 'keys are not templated'})"));
}

TEST_CASE("render: render_value errors name the path", "[template][render]") {
  // Every string is parsed before anything renders.
  auto out = tmpl::render_value(lit("{'env': {'PATH': '{{ missing }}'}, 'x': ['{{ n | nope }}']}"), vars(), kOrigin);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message() == "x.yml:14:9: x[0]: unknown filter 'nope'");
  out = tmpl::render_value(lit("{'env': {'PATH': '{{ missing }}'}}"), vars(), kOrigin);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message() == "x.yml:14:9: env.PATH: 'missing' is undefined");
  out = tmpl::render_value(lit("{'x': ['ok', '{{ n | nope }}']}"), vars(), kOrigin);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message() == "x.yml:14:9: x[1]: unknown filter 'nope'");
  // A top-level string keeps exact positions.
  out = tmpl::render_value(Value("ab {{ missing }}"), vars(), kOrigin);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message() == "x.yml:14:15: 'missing' is undefined");
}

TEST_CASE("render: eval_condition uses Python truthiness", "[template][render]") {
  auto when = [](const std::string& expr) {
    auto r = tmpl::eval_condition(expr, vars(), kOrigin);
    if (!r) FAIL(r.error().message());
    return *r;
  };
  CHECK(when("t"));
  CHECK_FALSE(when("f"));
  CHECK(when("false_string"));  // a non-empty string is true
  CHECK_FALSE(when("empty"));
  CHECK_FALSE(when("zero"));
  CHECK_FALSE(when("none"));
  CHECK_FALSE(when("[]"));
  CHECK_FALSE(when("{}"));
  CHECK(when("lst"));
  CHECK(when("result.rc == 0 and result is changed"));
  CHECK(when("kube_version is version('1.26', '>=')"));
  CHECK(when("missing is not defined"));
  CHECK(when("'b' in lst"));
  CHECK_FALSE(when("'a' if f"));
  // Text with {{ }} is rendered first: a bool result is the answer, a string
  // is evaluated as an expression.
  CHECK(when("{{ t }}"));
  CHECK_FALSE(when("{{ false_string }}"));
  CHECK(when("{{ 'n > 1' }}"));
  auto r = tmpl::eval_condition("kube_vesion == '1.27'", vars(), kOrigin);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "x.yml:14:9: 'kube_vesion' is undefined");
  r = tmpl::eval_condition("n >", vars(), kOrigin);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "x.yml:14:12: unexpected 'end of expression'");
}

TEST_CASE("render: Expression::eval_condition and is_truthy", "[template][render]") {
  auto e = tmpl::Expression::parse("users | selectattr('admin') | list", kOrigin);
  REQUIRE(e.ok());
  CHECK(*e->eval_condition(vars()) == true);
  CHECK(tmpl::is_truthy(Value("false")));
  CHECK_FALSE(tmpl::is_truthy(Value(0.0)));
  CHECK_FALSE(tmpl::is_truthy(Value(Value::Array{})));
}
