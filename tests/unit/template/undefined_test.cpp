// Undefined variables: an error naming the variable and its place, unless
// `default`, `is defined` or an attribute chain into `default` handles it.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("undefined: using one is an error with the variable's place", "[template][undefined]") {
  CHECK(eval_error("kube_vesion") == "x.yml:14:9: 'kube_vesion' is undefined");
  CHECK(render_error("v{{ kube_vesion }}") == "x.yml:14:13: 'kube_vesion' is undefined");
  CHECK(render_error("line1\n  {{ missing }}") == "x.yml:15:6: 'missing' is undefined");
  CHECK(eval_error("missing + 1") == "x.yml:14:9: 'missing' is undefined");
  CHECK(eval_error("missing | upper") == "x.yml:14:9: 'missing' is undefined");
  CHECK(eval_error("[missing]") == "x.yml:14:10: 'missing' is undefined");
  CHECK(eval_error("'x' ~ missing") == "x.yml:14:15: 'missing' is undefined");
  CHECK(render_error("{% if missing %}x{% endif %}") == "x.yml:14:15: 'missing' is undefined");
  CHECK(render_error("{% for x in missing %}{% endfor %}") == "x.yml:14:21: 'missing' is undefined");
}

TEST_CASE("undefined: missing attributes and items read as Jinja's messages", "[template][undefined]") {
  CHECK(eval_error("d.missing") == "x.yml:14:11: 'dict object' has no attribute 'missing'");
  CHECK(eval_error("d['missing']") == "x.yml:14:10: 'dict object' has no attribute 'missing'");
  CHECK(eval_error("lst[5]") == "x.yml:14:12: list object has no element 5");
  CHECK(eval_error("s.nope") == "x.yml:14:11: 'str object' has no attribute 'nope'");
  CHECK(eval_error("none.x") == "x.yml:14:14: 'None' has no attribute 'x'");
  CHECK(eval_error("n.x") == "x.yml:14:11: 'int object' has no attribute 'x'");
}

TEST_CASE("undefined: default handles it, also at the end of an attribute chain", "[template][undefined]") {
  CHECK(eval("missing | default('x')") == Value("x"));
  CHECK(eval("missing | d('x')") == Value("x"));
  CHECK(eval("missing | default") == Value(""));
  CHECK(eval("missing.bar | default(1)") == Value(1));
  CHECK(eval("missing.bar.baz['q'][0] | default(1)") == Value(1));
  CHECK(eval("d.missing.x | default(2)") == Value(2));
  CHECK(eval("d['missing'] | default(2)") == Value(2));
  CHECK(eval("lst[9] | default('none')") == Value("none"));
  CHECK(eval("missing[other] | default(3)") == Value(3));
  CHECK(eval("(missing) | default(4)") == Value(4));
  CHECK(eval("s | default('x')") == Value("hello"));
  CHECK(eval("empty | default('x')") == Value(""));
  CHECK(eval("empty | default('x', true)") == Value("x"));
  CHECK(eval("zero | default(7, boolean=true)") == Value(7));
  CHECK(eval("none | default('x')") == Value());  // None is defined
  CHECK(eval("missing | default(d.k)") == Value(1));
  CHECK(eval("missing | default(other | default('deep'))") == Value("deep"));
  // A filter in between uses the value first.
  CHECK(eval_error("missing | upper | default('x')") == "x.yml:14:9: 'missing' is undefined");
  // An undefined default is itself an error once used.
  CHECK(eval_error("missing | default(other)") == "x.yml:14:27: 'other' is undefined");
}

TEST_CASE("undefined: is defined / is undefined and type tests", "[template][undefined]") {
  CHECK(eval("missing is defined") == Value(false));
  CHECK(eval("missing is undefined") == Value(true));
  CHECK(eval("missing is not defined") == Value(true));
  CHECK(eval("missing.x.y is defined") == Value(false));
  CHECK(eval("d.k is defined") == Value(true));
  CHECK(eval("d.zz is defined") == Value(false));
  CHECK(eval("missing is none") == Value(false));
  CHECK(eval("missing is string") == Value(false));
  CHECK(eval("missing is sequence") == Value(false));
  CHECK(eval("missing is defined and missing > 1") == Value(false));
  CHECK(eval_error("missing is odd") == "x.yml:14:9: 'missing' is undefined");
}

TEST_CASE("undefined: mandatory", "[template][undefined]") {
  CHECK(eval("s | mandatory") == Value("hello"));
  CHECK(eval_error("missing | mandatory") == "x.yml:14:19: Mandatory variable 'missing' not defined.");
  CHECK(eval_error("d.zz | mandatory") == "x.yml:14:16: Mandatory variable 'zz' not defined.");
  CHECK(eval_error("missing | mandatory('set kube_version first')") == "x.yml:14:19: set kube_version first");
}

TEST_CASE("undefined: empty sequences give undefined first / last / min / max", "[template][undefined]") {
  CHECK(eval("[] | first | default('none')") == Value("none"));
  CHECK(eval_error("[] | first") == "x.yml:14:14: No first item, sequence was empty.");
  CHECK(eval_error("[] | last") == "x.yml:14:14: No last item, sequence was empty.");
  CHECK(eval_error("[] | max") == "x.yml:14:14: No aggregated item, sequence was empty.");
}
