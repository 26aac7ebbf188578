// Tests (`x is name`), including Ansible's task-result tests.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("tests: types", "[template][tests]") {
  CHECK(eval("none is none") == Value(true));
  CHECK(eval("s is none") == Value(false));
  CHECK(eval("s is string") == Value(true));
  CHECK(eval("n is string") == Value(false));
  CHECK(eval("n is number") == Value(true));
  CHECK(eval("pi is number") == Value(true));
  CHECK(eval("t is number") == Value(true));  // Python's bools are numbers
  CHECK(eval("n is integer") == Value(true));
  CHECK(eval("t is integer") == Value(false));
  CHECK(eval("pi is float") == Value(true));
  CHECK(eval("d is mapping") == Value(true));
  CHECK(eval("lst is mapping") == Value(false));
  CHECK(eval("lst is sequence") == Value(true));
  CHECK(eval("s is sequence") == Value(true));
  CHECK(eval("d is sequence") == Value(true));
  CHECK(eval("n is sequence") == Value(false));
  CHECK(eval("s is iterable") == Value(true));
  CHECK(eval("n is iterable") == Value(false));
  CHECK(eval("t is boolean") == Value(true));
  CHECK(eval("'true' is boolean") == Value(false));
  CHECK(eval("t is true") == Value(true));
  CHECK(eval("1 is true") == Value(false));
  CHECK(eval("f is false") == Value(true));
  CHECK(eval("zero is false") == Value(false));
}

TEST_CASE("tests: negation and the argument without parentheses", "[template][tests]") {
  CHECK(eval("s is not string") == Value(false));
  CHECK(eval("n is not none") == Value(true));
  CHECK(eval("n is divisibleby 5") == Value(true));
  CHECK(eval("n is divisibleby(2)") == Value(false));
  CHECK(eval("n is eq 5") == Value(true));
}

TEST_CASE("tests: comparisons and membership", "[template][tests]") {
  CHECK(eval("n is eq(5)") == Value(true));
  CHECK(eval("n is equalto(5)") == Value(true));
  CHECK(eval("n is ne(5)") == Value(false));
  CHECK(eval("n is lt(6)") == Value(true));
  CHECK(eval("n is le(5)") == Value(true));
  CHECK(eval("n is gt(5)") == Value(false));
  CHECK(eval("n is ge(5)") == Value(true));
  CHECK(eval("n is greaterthan(1)") == Value(true));
  CHECK(eval("'b' is in(lst)") == Value(true));
  CHECK(eval("lst is contains('b')") == Value(true));
  CHECK(eval("4 is even") == Value(true));
  CHECK(eval("3 is odd") == Value(true));
  CHECK(eval("'ab' is lower") == Value(true));
  CHECK(eval("'Ab' is upper") == Value(false));
  CHECK(eval("'AB1' is upper") == Value(true));
}

TEST_CASE("tests: sets and truthiness", "[template][tests]") {
  CHECK(eval("[1, 2] is subset([1, 2, 3])") == Value(true));
  CHECK(eval("[1, 4] is subset([1, 2, 3])") == Value(false));
  CHECK(eval("[1, 2, 3] is superset([1])") == Value(true));
  CHECK(eval("[1, 0] is all") == Value(false));
  CHECK(eval("[1, 0] is any") == Value(true));
  CHECK(eval("[] is all") == Value(true));
  CHECK(eval("'no' is truthy") == Value(true));
  CHECK(eval("'no' is truthy(convert_bool=true)") == Value(false));
  CHECK(eval("'' is falsy") == Value(true));
}

TEST_CASE("tests: task results", "[template][tests]") {
  CHECK(eval("result is changed") == Value(true));
  CHECK(eval("result is succeeded") == Value(true));
  CHECK(eval("result is success") == Value(true));
  CHECK(eval("result is failed") == Value(false));
  CHECK(eval("result is skipped") == Value(false));
  CHECK(eval("{'failed': true} is failed") == Value(true));
  CHECK(eval("{'failed': true} is not succeeded") == Value(true));
  CHECK(eval("{'changed': false, 'results': [{'changed': true}]} is changed") == Value(false));
  CHECK(eval("{'results': [{'changed': false}, {'changed': true}]} is changed") == Value(true));
  CHECK(eval("{'skipped': true} is skipped") == Value(true));
  CHECK(eval("{'unreachable': true} is unreachable") == Value(true));
  CHECK(eval("{} is reachable") == Value(true));
  CHECK(eval_error("s is failed") == "x.yml:14:14: test 'failed': The 'failed' test expects a dictionary");
}
