package searchkey

import (
	"strings"
	"testing"
)

func keysOf(name string, kind Kind) string {
	var out []string
	for _, k := range Keys(name) {
		if k.Kind == kind {
			out = append(out, k.Text)
		}
	}
	return strings.Join(out, " ")
}

func TestKeys(t *testing.T) {
	cases := []struct{ name, pinyin, initials string }{
		{"张慧婷", "zhanghuiting", "zht"},
		{"王建国", "wangjianguo", "wjg"},
		{"欧阳修", "ouyangxiu", "oyx"},
		{"李 A2", "lia2", "la2"},
		{"·", "", ""},
		// The usual reading first, then the other common one of 长.
		{"张长良", "zhangchangliang zhangzhangliang", "zcl zzl"},
		// Surnames read as surnames only.
		{"单雄信", "shanxiongxin", "sxx"},
		{"曾国藩", "zengguofan", "zgf"},
		{"尉迟恭", "yuchigong", "ycg"},
		{"万俟卨", "moqixie", "mqx"},
		{"长孙无忌", "zhangsunwuji", "zswj"},
		// Two surname readings.
		{"尉缭", "yuliao weiliao", "yl wl"},
		// 重 zhong/chong and 朝 chao/zhao in the given name: four readings.
		{"李重朝", "lizhongchao lizhongzhao lichongchao lichongzhao", "lzc lzz lcc lcz"},
		// A transliterated name has no surname: 单 takes its common readings.
		{"单·买买提", "danmaimaiti shanmaimaiti", "dmmt smmt"},
		// Other characters take their usual reading only (信 not shen).
		{"王信", "wangxin", "wx"},
	}
	for _, c := range cases {
		if p, i := keysOf(c.name, Pinyin), keysOf(c.name, Initials); p != c.pinyin || i != c.initials {
			t.Errorf("%s: %q / %q, want %q / %q", c.name, p, i, c.pinyin, c.initials)
		}
	}
	full, initials := PinyinKeys("单长")
	if full != "shanchang" || initials != "sc" {
		t.Errorf("usual reading of 单长: %q %q", full, initials)
	}
}

// However polyphonic a name, it has at most MaxReadings keys of each kind,
// each at most MaxKeyLength long, the usual reading kept.
func TestKeysAreBounded(t *testing.T) {
	name := "李" + strings.Repeat("重长行朝", 16) // 64 characters of two readings each
	keys := Keys(name)
	n := map[Kind]int{}
	for _, k := range keys {
		n[k.Kind]++
		if len(k.Text) > MaxKeyLength || k.Text == "" {
			t.Fatalf("key %q", k.Text)
		}
	}
	if n[Pinyin] > MaxReadings || n[Initials] > MaxReadings || n[Pinyin] == 0 {
		t.Fatalf("%v keys", n)
	}
	if keys[0].Text != ("li" + strings.Repeat("zhongchangxingchao", 4))[:MaxKeyLength] {
		t.Fatalf("first key %q", keys[0].Text)
	}
}

func TestPhoneSuffix(t *testing.T) {
	for in, want := range map[string]string{"13800138000": "8000", "0472-5123456": "3456", "123": "", "": ""} {
		if got := PhoneSuffix(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
