// Templates: {% if %}, {% for %}, {% set %}, {% raw %}, comments and
// whitespace control, as Ansible renders them (trim_blocks on; trailing
// newlines of the text kept). Expected outputs checked against ansible-core.
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("templates: if / elif / else", "[template][blocks]") {
  CHECK(text("{% if t %}yes{% endif %}") == "yes");
  CHECK(text("[{% if f %}yes{% endif %}]") == "[]");
  CHECK(text("{% if f %}a{% elif t %}b{% else %}c{% endif %}") == "b");
  CHECK(text("{% if f %}a{% elif zero %}b{% else %}c{% endif %}") == "c");
  CHECK(text("{% if false_string %}non-empty strings are true{% endif %}") == "non-empty strings are true");
  CHECK(text("{% if lst and 'b' in lst %}ok{% endif %}") == "ok");
  CHECK(text("{% if missing is defined %}a{% else %}b{% endif %}") == "b");
}

TEST_CASE("templates: for loops with loop variables", "[template][blocks]") {
  CHECK(text("{% for x in lst %}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}") == "a,b,c");
  CHECK(text("{% for x in lst %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }} {% endfor %}") ==
        "1032 2121 3210 ");
  CHECK(text("{% for x in lst %}{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {% endfor %}") ==
        "True/False/3 False/False/3 False/True/3 ");
  CHECK(text("{% for x in lst %}{{ loop.previtem | default('-') }}{{ loop.nextitem | default('-') }} {% endfor %}") ==
        "-b ac b- ");
  CHECK(text("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}") == "k=1;n={'x': 2};");
  CHECK(text("{% for k in d %}{{ k }}{% endfor %}") == "kn");
  CHECK(text("{% for c in 'ab' %}[{{ c }}]{% endfor %}") == "[a][b]");
  CHECK(text("{% for x in [] %}x{% else %}empty{% endfor %}") == "empty");
  CHECK(text("{% for i in [1, 2, 3, 4] if i is odd %}{{ i }}/{{ loop.length }} {% endfor %}") == "1/2 3/2 ");
  CHECK(text("{% for u in users %}{% for g in [1, 2] %}{{ u.name[0] }}{{ g }}{{ loop.index }} {% endfor %}{% endfor %}") ==
        "a11 a22 b11 b22 ");
  CHECK(text("{% for x in range(3) %}{{ x }}{% endfor %}") == "012");
  CHECK(render_error("{% for a, b in lst %}{% endfor %}") == "x.yml:14:9: not enough values to unpack (expected 2, got 1)");
  CHECK(render_error("{% for x in n %}{% endfor %}") == "x.yml:14:21: 'int' object is not iterable");
}

TEST_CASE("templates: set", "[template][blocks]") {
  CHECK(text("{% set x = n * 2 %}{{ x }}") == "10");
  CHECK(text("{% set a, b = 1, 2 %}{{ a }}{{ b }}") == "12");
  CHECK(text("{% set x = 'a' if t else 'b' %}{{ x }}") == "a");
  CHECK(text("{% set blk %}hi {{ s }}{% endset %}[{{ blk }}]") == "[hi hello]");
  // A set inside a loop body does not leak out of it.
  CHECK(text("{% set x = 0 %}{% for i in [1, 2] %}{% set x = i %}{{ x }}{% endfor %}{{ x }}") == "120");
  // A set shadows a variable of the scope.
  CHECK(text("{% set s = 'bye' %}{{ s }}") == "bye");
}

TEST_CASE("templates: comments and raw blocks", "[template][blocks]") {
  CHECK(text("a{# a comment with {{ braces }} #}b") == "ab");
  CHECK(text("{% raw %}{{ not evaluated }}{% if %}{% endraw %}") == "{{ not evaluated }}{% if %}");
  CHECK(text("{%- raw -%}  {{ x }}  {%- endraw -%}") == "{{ x }}");
  CHECK(text("{{ '{{' }} literal") == "{{ literal");
}

TEST_CASE("templates: trim_blocks drops the newline after a block tag", "[template][whitespace]") {
  CHECK(text("a\n{% if t %}\n  x\n{% endif %}\nb") == "a\n  x\nb");
  CHECK(text("{% for x in lst %}\n- {{ x }}\n{% endfor %}\n") == "- a\n- b\n- c\n");
  CHECK(text("{# c #}\nline") == "line");
  // Not after {{ }}.
  CHECK(text("{{ s }}\nnext") == "hello\nnext");
  // "+%}" keeps the newline.
  CHECK(text("{% if t +%}\nx{% endif %}") == "\nx");
  tmpl::TemplateOptions keep;
  keep.trim_blocks = false;
  CHECK(text("{% if t %}\nx\n{% endif %}\n", vars(), keep) == "\nx\n");
}

TEST_CASE("templates: - strips whitespace around tags", "[template][whitespace]") {
  CHECK(text("a\n  {%- if t %}\n  x\n  {%- endif %}\nb") == "a  xb");
  CHECK(text("a\n  {% if t -%}\n  x\n  {% endif -%}\nb") == "a\n  x\n  b");
  CHECK(text("a  {{- s -}}  b") == "ahellob");
  CHECK(text("{{- '  x  ' -}}") == "  x  ");
  CHECK(text("x {#- c -#} y") == "xy");
  CHECK(text("{% for x in lst -%}\n  {{ x }}\n{%- endfor %}") == "abc");
}

TEST_CASE("templates: lstrip_blocks drops indentation before block tags", "[template][whitespace]") {
  tmpl::TemplateOptions o;
  o.lstrip_blocks = true;
  CHECK(text("a\n    {% if t %}\n    x\n    {% endif %}\nb\n", vars(), o) == "a\n    x\nb\n");
  CHECK(text("  {% for i in [1, 2] %}\n  - {{ i }}\n  {% endfor %}\n", vars(), o) == "  - 1\n  - 2\n");
  CHECK(text("x {% if t %}y{% endif %}", vars(), o) == "x y");  // not at line start
  CHECK(text("  {%+ if t %}kept{% endif %}", vars(), o) == "  kept");
  CHECK(text("  {{ s }}", vars(), o) == "  hello");  // not for {{ }}
  CHECK(text("  {% if t %}\n    {% if t %}\n      deep\n    {% endif %}\n  {% endif %}\n", vars(), o) == "      deep\n");
}

TEST_CASE("templates: trailing newlines are kept, as Ansible keeps them", "[template][whitespace]") {
  CHECK(text("{{ s }}\n") == "hello\n");
  CHECK(text("line\n\n") == "line\n\n");
  CHECK(text("{% if t %}x{% endif %}\n") == "x\n");
  CHECK(text("{% raw %}{{ x }}{% endraw %}\n") == "{{ x }}\n");
  CHECK(text("{{ 'a\\n' }}\n", vars(), [] {
          tmpl::TemplateOptions o;
          o.escape_backslashes = false;
          return o;
        }()) == "a\n");
}

TEST_CASE("templates: CRLF line ends read as LF, as Jinja reads them", "[template][whitespace]") {
  CHECK(text("{% if t %}\r\nwin\r\n{% endif %}\r\n") == "win\n");
  CHECK(text("a\rb") == "a\nb");
}

TEST_CASE("templates: a config file", "[template][blocks]") {
  tmpl::TemplateOptions file;
  file.lstrip_blocks = true;
  file.escape_backslashes = false;
  const char* kubelet =
      "# {{ ansible_managed | default('managed by fleetk8s') }}\n"
      "apiVersion: kubelet.config.k8s.io/v1beta1\n"
      "kind: KubeletConfiguration\n"
      "{% if users | length > 1 %}\n"
      "authorization:\n"
      "  users:\n"
      "  {% for u in users | sort(attribute='uid') %}\n"
      "    - name: {{ u.name | quote }}\n"
      "      admin: {{ u.admin | lower }}\n"
      "  {% endfor %}\n"
      "{% endif %}\n"
      "clusterDNS: {{ ['10.96.0.10'] | to_json }}\n";
  CHECK(text(kubelet, vars(), file) ==
        "# managed by fleetk8s\n"
        "apiVersion: kubelet.config.k8s.io/v1beta1\n"
        "kind: KubeletConfiguration\n"
        "authorization:\n"
        "  users:\n"
        "    - name: alice\n"
        "      admin: true\n"
        "    - name: bob\n"
        "      admin: false\n"
        "clusterDNS: [\"10.96.0.10\"]\n");
}
