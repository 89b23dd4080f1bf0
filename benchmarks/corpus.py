"""A synthetic course for the benchmark: N lessons in the notes format, the same for one seed.

    python benchmarks/corpus.py --lessons 40 --seed 1 --out _build/bench/corpus-40

writes ``OUT/notes/**/*.md`` and ``OUT/resource/*.png``. The notes have the variety of
``docs/notes-format.md``: H1 and H2 lesson titles in Chinese and Arabic numerals, parts with remarks
and rules, exercises (single and multiple choice, answers in paragraphs and fences, right,
wrong and only-correct), a glossary (paragraphs, fences, tables, figures), Q&A with long
hard-wrapped text answers, follow-ups, python fences, paragraph and bold questions, figures;
CRLF, BOMs, emoji and full-width punctuation now and then. Figures are real 1200×800 diagrams
(boxes and arrows, heat maps, curves) drawn with Pillow.

Lesson ``k`` depends only on the seed and ``k``: the 10-lesson course is the first ten lessons
of the 40-lesson one, so costs per page compare across sizes.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

LESSONS_PER_CHAPTER = 5
FIGURE_SIZE = (1200, 800)
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_INDEX = 2  # Noto Sans CJK SC inside the collection

# --- Words ---------------------------------------------------------------------------------

TERMS = [
    "Transformer", "注意力机制", "自注意力", "多头注意力", "位置编码", "词嵌入", "思维链",
    "提示工程", "指令微调", "SFT", "RLHF", "奖励模型", "LoRA", "QLoRA", "量化", "蒸馏",
    "预训练", "上下文窗口", "温度参数", "Top-p 采样", "束搜索", "分词器", "BPE", "困惑度",
    "幻觉", "检索增强生成", "向量数据库", "嵌入向量", "余弦相似度", "Agent", "工具调用",
    "函数调用", "LangChain", "混合专家", "KV 缓存", "Flash Attention", "梯度累积",
    "学习率预热", "AdamW", "层归一化", "残差连接", "编码器", "解码器", "交叉熵损失",
    "few-shot", "zero-shot", "in-context learning", "知识图谱", "多模态", "扩散模型",
]
SUBJECTS = ["模型", "我们的系统", "这个方法", "训练过程", "推理阶段", "解码器", "编码器",
            "这一层", "整个流程", "助教给的示例", "课上的例子", "论文里的实验"]
VERBS = ["依赖于", "受限于", "可以看作", "本质上是在做", "会显著影响", "并不等同于",
         "需要结合", "在实践中常常替代", "和", "可以用来近似"]
CLAUSES = [
    "在这个过程中，{s}会根据输入不断调整参数，使输出更接近预期",
    "所以{t}的关键在于数据的质量，而不是单纯的数量",
    "如果显存不够，可以先尝试{t2}，再考虑更换硬件",
    "这里的计算可以写成 c2 = a21·h1 + a22·h2 + a23·h3，角标的顺序只是表达习惯不同",
    "从工程角度看，{t}和{t2}往往一起使用，效果比单独使用更稳定",
    "课上提到的{t}，其实就是把问题拆成若干步，让模型一步一步写出推理过程",
    "需要注意的是，{t}并不能保证结果一定正确，仍然要做人工检查",
    "我个人的理解是，{s}{v}{t2}，只是侧重点不一样",
    "在中文场景下，{t}的分词方式会直接影响上下文窗口能放下多少内容",
    "原则上不存在谁更先进的问题，要看具体的下游任务和评测指标",
    "可以先用一个小模型把流程跑通，确认{t}的设置没有问题，再换成大模型",
    "论文里的图为了好看做了一次转置，行和列交换了，但公式本身没有问题",
    "比如学习率设成 2e-5、batch size 设成 32，训练 3 个 epoch，准确率大约能到 94%",
    "这一点在直播间也讨论过，结论是{t}更适合数据量少、标注成本高的情况",
    "如果只是做文本分类，{t}确实是更有性价比的选择",
    "{s}{v}{t}，但两者的训练目标不同，评估方法也不同",
]
QUESTION_STEMS = [
    "{t}和{t2}有什么区别？", "{t}到底是怎么工作的？能不能举个例子",
    "为什么{t}训练的时候显存占用这么高？有没有办法降低", "老师，{t}里的参数应该怎么设置",
    "请问{t}和{t2}可以一起用吗？效果会不会更好",
    "我用{t}做了一个实验，结果不太理想，是哪里出了问题",
    "课上讲的{t}，是指提示词里用的，还是模型内部的机制？我的理解是后者，但助教说的是前者，能捋一捋吗",
    "{t}在中文任务上表现怎么样", "{t}是不是已经过时了？现在还需要学吗",
    "想请教一下，{t}的公式里角标为什么和图里的顺序相反",
    "我要用大模型做分类，用{t}效果很好，但是高质量的语料标注是个难活，{t2}是不是更省事",
]
OPTION_WORDS = ["决策树", "GPT-4", "线性回归", "K 均值", "Adam", "SGD", "ReLU", "Dropout",
                "BERT", "LLaMA", "卷积网络", "循环网络", "词袋模型", "朴素贝叶斯"]
CHAPTER_TOPICS = ["大模型基础", "提示工程", "微调实践", "检索增强", "智能体", "多模态",
                  "部署与推理", "评测与对齐", "数据工程", "前沿进展"]
LESSON_TOPICS = ["理论与技术的演进", "从零读懂注意力", "提示词的设计方法", "指令微调入门",
                 "参数高效微调", "向量检索与召回", "工具调用与规划", "显存优化技巧",
                 "评测基准与指标", "对齐与安全", "数据清洗与标注", "推理加速"]
EXTRAS = [" ✅", " 🤓", "（见上图）", "【补充】", " ❌", "（正确）", " 1️⃣"]
PYTHON_SNIPPETS = [
    "from transformers import AutoModel, AutoTokenizer\n\n"
    "tokenizer = AutoTokenizer.from_pretrained(\"{m}\")\n"
    "model = AutoModel.from_pretrained(\"{m}\")\n"
    "inputs = tokenizer(\"你好，世界\", return_tensors=\"pt\")\n"
    "outputs = model(**inputs)  # {t}\n",
    "import torch\n\n"
    "def attention(q, k, v):\n"
    "    # {t}: softmax(QK^T / sqrt(d)) V\n"
    "    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5\n"
    "    return torch.softmax(scores, dim=-1) @ v\n",
]
MODELS = ["bert-base-chinese", "THUDM/chatglm3-6b", "Qwen/Qwen2-7B", "meta-llama/Llama-2-7b"]

_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十, 105 → 一百零五 (up to 999)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest, head = n % 100, _CN_DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    return head + _CN_DIGITS[rest // 10] + "十" + (_CN_DIGITS[rest % 10] if rest % 10 else "")


# --- Text ----------------------------------------------------------------------------------


class Writer:
    """Random Chinese prose about LLMs, from one ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def term(self) -> str:
        return self.rng.choice(TERMS)

    def sentence(self) -> str:
        fill = {"t": self.term(), "t2": self.term(), "s": self.rng.choice(SUBJECTS),
                "v": self.rng.choice(VERBS)}
        text = self.rng.choice(CLAUSES).format(**fill)
        if self.rng.random() < 0.06:
            text += self.rng.choice(EXTRAS)
        return text + self.rng.choice("。。。。；！？")

    def prose(self, chars: int) -> str:
        """About ``chars`` characters of sentences, no spaces between them."""
        out: list[str] = []
        while sum(map(len, out)) < chars:
            out.append(self.sentence())
        return "".join(out)

    def long_answer(self) -> str:
        """A live-session answer: long lines, sometimes hard-wrapped mid-word, 1–4 paragraphs."""
        size = int(self.rng.lognormvariate(5.8, 0.6))  # median ≈ 330 characters, a long tail
        paragraphs = [self.prose(size) for _ in range(self.rng.randint(1, 3))]
        if self.rng.random() < 0.25:
            paragraphs = [self._hard_wrap(p) for p in paragraphs]
        if self.rng.random() < 0.15:
            paragraphs.append(self._markdown_lookalike())
        return "\n".join(paragraphs)

    def _hard_wrap(self, text: str) -> str:
        width = self.rng.randint(38, 70)
        return "\n".join(text[i:i + width] for i in range(0, len(text), width))

    def _markdown_lookalike(self) -> str:
        t = self.term()
        return f"# 注释：这一行不是标题\n- {t}：列表项\n- `{t}` 是代码\n1. 第一步 {{role}} $x$ 50%"

    def question(self) -> str:
        return self.rng.choice(QUESTION_STEMS).format(t=self.term(), t2=self.term())

    def python(self) -> str:
        return self.rng.choice(PYTHON_SNIPPETS).format(m=self.rng.choice(MODELS), t=self.term())


# --- Figures -------------------------------------------------------------------------------


def draw_figure(path: Path, seed: str, caption: str) -> None:
    """A 1200×800 diagram: boxes and arrows, a heat map or curves, with a CJK title."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", FIGURE_SIZE, "white")
    draw = ImageDraw.Draw(image)
    kind = rng.choice((_boxes, _heatmap, _curves))
    kind(draw, rng)
    draw.text((40, 24), caption[:40], fill="black", font=_font(34))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")


_FONTS: dict[int, object] = {}


def _font(size: int):
    from PIL import ImageFont

    if size not in _FONTS:
        try:
            _FONTS[size] = ImageFont.truetype(str(CJK_FONT), size, index=CJK_FONT_INDEX)
        except OSError:  # no Noto CJK: Latin labels still draw, CJK ones as boxes
            _FONTS[size] = ImageFont.load_default(size)
    return _FONTS[size]


def _boxes(draw, rng: random.Random) -> None:
    """An encoder → decoder style diagram: rows of labelled boxes joined by arrows."""
    rows = rng.randint(2, 4)
    for row in range(rows):
        y = 140 + row * (600 // rows)
        count = rng.randint(3, 6)
        for col in range(count):
            x = 60 + col * (1080 // count)
            colour = (rng.randint(120, 230), rng.randint(150, 240), rng.randint(180, 255))
            draw.rounded_rectangle((x, y, x + 150, y + 90), 14, fill=colour, outline="black",
                                   width=3)
            draw.text((x + 20, y + 25), rng.choice(TERMS)[:5], fill="black", font=_font(28))
            if col:
                draw.line((x - (1080 // count) + 150, y + 45, x, y + 45), fill="black", width=3)
                draw.polygon((x, y + 45, x - 14, y + 37, x - 14, y + 53), fill="black")


def _heatmap(draw, rng: random.Random) -> None:
    """An attention-weight matrix, shaded cell by cell, with row and column labels."""
    n = rng.randint(4, 9)
    cell = min(620 // n, 110)
    for i in range(n):
        draw.text((80, 130 + i * cell + cell // 3), f"s{i + 1}", fill="black", font=_font(26))
        draw.text((160 + i * cell + cell // 3, 96), f"h{i + 1}", fill="black", font=_font(26))
        for j in range(n):
            v = rng.random()
            shade = (int(255 - 200 * v), int(255 - 120 * v), 255)
            box = (160 + j * cell, 130 + i * cell, 160 + (j + 1) * cell, 130 + (i + 1) * cell)
            draw.rectangle(box, fill=shade, outline="grey")
            draw.text((box[0] + 8, box[1] + cell // 3), f"{v:.2f}", fill="black", font=_font(20))


def _curves(draw, rng: random.Random) -> None:
    """Loss curves over training steps, on axes with a grid."""
    draw.line((100, 720, 1150, 720), fill="black", width=3)
    draw.line((100, 720, 100, 110), fill="black", width=3)
    for k in range(1, 10):
        draw.line((100 + k * 105, 110, 100 + k * 105, 720), fill=(225, 225, 225))
    for curve in range(rng.randint(2, 4)):
        colour = (rng.randint(0, 200), rng.randint(0, 200), rng.randint(0, 200))
        level, points = rng.uniform(500, 600), []
        for x in range(100, 1150, 15):
            level = max(130.0, level * rng.uniform(0.975, 0.999) + rng.uniform(-6, 6))
            points.append((x, 720 - (600 - level)))
        draw.line(points, fill=colour, width=4)
        draw.text((1000, 140 + curve * 40), f"loss {curve + 1}", fill=colour, font=_font(26))


# --- Lessons -------------------------------------------------------------------------------


@dataclass
class LessonNote:
    """One generated note: where it goes, its text, and the figures it refers to."""

    path: Path  # relative to OUT/notes
    text: str
    crlf: bool = False
    bom: bool = False
    figures: dict[str, str] = field(default_factory=dict)  # file name → caption


class LessonMaker:
    """Lesson ``number``'s note, from ``random.Random(f"{seed}-{number}")``."""

    def __init__(self, seed: int, number: int) -> None:
        self.rng = random.Random(f"{seed}-{number}")
        self.words = Writer(self.rng)
        self.number = number
        self.chapter = (number - 1) // LESSONS_PER_CHAPTER + 1
        self.figures: dict[str, str] = {}
        self.nested = self.rng.random() < 0.3  # in a chapter folder: images are ../../resource

    def make(self) -> LessonNote:
        lines = [self._title()]
        if self.rng.random() < 0.3:
            lines += ["", self.words.prose(120)]
        lines += self._exercises() + self._glossary() + self._questions()
        text = "\n".join(lines)
        if self.rng.random() < 0.3:
            text += "\n"
        folder = Path(f"第{chinese_numeral(self.chapter)}章") if self.nested else Path()
        name = f"笔记{self.number}-第{chinese_numeral(self.number)}节课.md"
        return LessonNote(folder / name, text, crlf=self.rng.random() < 0.1,
                          bom=self.rng.random() < 0.05, figures=self.figures)

    def _title(self) -> str:
        topic = self.rng.choice(LESSON_TOPICS)
        chapter, lesson = chinese_numeral(self.chapter), chinese_numeral(self.number)
        form = self.rng.random()
        name = CHAPTER_TOPICS[(self.chapter - 1) % len(CHAPTER_TOPICS)]
        if form < 0.75:
            return f"## 第{chapter}章：{name}--{topic}（第{lesson}节课）"
        if form < 0.9:
            return f"## 第{chapter}章：{name}--{topic}（第 {self.number} 节课）"
        return f"# 第{chapter}章：{name} {topic}（第{lesson}课）"

    def _part(self, ordinal: int, name: str) -> list[str]:
        remark = "【有些混乱，待整理】" if self.rng.random() < 0.1 else ""
        head = f"### 第{chinese_numeral(ordinal)}部分：{name}{remark}"
        return ["", head, "<hr />", ""] if self.rng.random() < 0.6 else ["", head, ""]

    def _item_heading(self, n: int, text: str) -> str:
        level = "####" if self.rng.random() < 0.4 else "#####"
        sep = "、" if self.rng.random() < 0.8 else ". "
        return f"{level} {n}{sep}{text}"

    # Exercises --------------------------------------------------------------------------

    def _exercises(self) -> list[str]:
        if self.rng.random() < 0.1:
            return self._part(1, "课后习题")  # an empty part: only the rule
        lines = self._part(1, "课后习题")
        for n in range(1, self.rng.randint(3, 6) + 1):
            lines += [*self._exercise(n), ""]
        return lines

    def _exercise(self, n: int) -> list[str]:
        multiple = self.rng.random() < 0.35
        stem = (f"关于{self.words.term()}，下列说法正确的是（多选）" if multiple
                else f"下列哪一项最能说明{self.words.term()}的作用？")
        letters = "ABCD"
        right = (sorted(self.rng.sample(letters, self.rng.randint(2, 3))) if multiple
                 else [self.rng.choice(letters)])
        indent = "\t" if self.rng.random() < 0.15 else ""
        options = []
        for letter in letters:
            text = f"{letter}. {self.rng.choice(OPTION_WORDS)}，{self.words.prose(30)}"
            bold = letter in right and not multiple and self.rng.random() < 0.3
            options.append(f"{indent}- **{text}**" if bold else f"{indent}- {text}")
        lines = [self._item_heading(n, stem), *options, ""]
        return lines + self._answer(right, letters)

    def _answer(self, right: list[str], letters: str) -> list[str]:
        form = self.rng.random()
        joined = self.rng.choice(("、", "｜")).join(right)
        if form < 0.1 and len(right) == 1:
            wrong = next(x for x in letters if x not in right)
            key = f"答：{wrong} ❌（正确答案：{right[0]}）"
        elif form < 0.2:
            key = f"正确答案：{joined}"
        else:
            key = f"答：{joined}" + (" ✅" if self.rng.random() < 0.1 else "")
        explain = self.words.prose(80) if self.rng.random() < 0.5 else ""
        body = key + (f"\n解析：{explain}" if explain else "")
        if self.rng.random() < 0.5:
            return ["```text", body, "```"]
        return [key, "", f"解析：{explain}"] if explain else [key]

    # Glossary ---------------------------------------------------------------------------

    def _glossary(self) -> list[str]:
        lines = self._part(2, "相关名词解释")
        for n, term in enumerate(self.rng.sample(TERMS, self.rng.randint(3, 6)), start=1):
            lines += [self._item_heading(n, term), self._glossary_text(term)]
            if self.rng.random() < 0.25:
                lines += ["```text", self.words.prose(160), "```"]
            if self.rng.random() < 0.1:
                lines += ["", self._table()]
            if self.rng.random() < 0.12:
                lines += ["", self._figure(2, n, term)]
            lines.append("")
        return lines

    def _glossary_text(self, term: str) -> str:
        text = self.words.prose(self.rng.randint(60, 260))
        if self.rng.random() < 0.3:
            # Bold that CommonMark leaves open beside CJK punctuation, and <mark> inside bold.
            text = f"**{term}：**{text}" if self.rng.random() < 0.5 else \
                f"**<mark>{term}</mark>** 是指{text}"
        if self.rng.random() < 0.2:
            half = len(text) // 2  # a soft break between two Chinese characters
            text = text[:half] + "\n" + text[half:]
        if self.rng.random() < 0.1:
            text += " 参考 https://arxiv.org/abs/1706.03762"
        return text

    def _table(self) -> str:
        rows = ["| 名称 | 说明 | 代码 |", "| --- | --- | --- |"]
        for _ in range(self.rng.randint(2, 4)):
            t = self.words.term()
            rows.append(f"| {t} | {self.words.prose(20)} | `{t.lower().replace(' ', '_')}()` |")
        return "\n".join(rows)

    # Q&A --------------------------------------------------------------------------------

    def _questions(self) -> list[str]:
        lines = self._part(3, self.rng.choice(("一些问答", "一些问答", "Q&A问答")))
        for n in range(1, self.rng.randint(5, 12) + 1):
            lines += [*self._question(n), "", "<br />", ""]
        return lines

    def _question(self, n: int) -> list[str]:
        title = self.words.question()
        form = self.rng.random()
        if form < 0.06:
            return [f"{n}、{title}", "", "答：" + self.words.prose(self.rng.randint(40, 200))]
        head = f"**{n}、{title}**" if form < 0.12 else self._item_heading(n, title)
        lines = [head]
        if self.rng.random() < 0.3:
            lines += [f"1. {self.words.prose(60)}", f"2. {self.words.prose(60)}", ""]
        if self.rng.random() < 0.3:
            lines += [self._figure(3, n, title), ""]
        lines += self._fence(self.words.long_answer())
        if self.rng.random() < 0.2:
            lines += self._fence("好的 明白了 非常感谢老师的细致解答 " + self.words.prose(40))
        if self.rng.random() < 0.08:
            lines += ["```python", self.words.python().rstrip("\n"), "```"]
        return lines

    def _fence(self, body: str) -> list[str]:
        info = self.rng.choices(("text", "plaintext", "", "text "), (70, 10, 15, 5))[0]
        return [f"```{info}", body, "```"]

    def _figure(self, part: int, item: int, caption: str) -> str:
        k = sum(1 for name in self.figures if name.startswith(f"笔记{self.number}-{part}-{item}."))
        name = f"笔记{self.number}-{part}-{item}.{k + 1}.png"
        self.figures[name] = caption
        prefix = "../../resource" if self.nested else "../resource"
        alt = self.rng.choice(("avatar", "avatar", "图片格式", caption[:12]))
        return f"![{alt}]({prefix}/{name})"


# --- The course ----------------------------------------------------------------------------


def write_corpus(lessons: int, seed: int, out: Path) -> list[Path]:
    """Write ``out/notes`` and ``out/resource`` afresh; return the notes written."""
    for folder in ("notes", "resource"):
        shutil.rmtree(out / folder, ignore_errors=True)
    written = []
    for number in range(1, lessons + 1):
        note = LessonMaker(seed, number).make()
        path = out / "notes" / note.path
        path.parent.mkdir(parents=True, exist_ok=True)
        text = note.text.replace("\n", "\r\n") if note.crlf else note.text
        path.write_bytes(("\ufeff" if note.bom else "").encode("utf-8") + text.encode("utf-8"))
        for name, caption in note.figures.items():
            draw_figure(out / "resource" / name, f"{seed}-{name}", caption)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=10, help="how many lessons")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same course")
    parser.add_argument("--out", type=Path, required=True,
                        help="writes OUT/notes and OUT/resource (replaced)")
    args = parser.parse_args(argv)
    if args.lessons < 1:
        parser.error("--lessons must be at least 1")
    notes = write_corpus(args.lessons, args.seed, args.out)
    figures = len(list((args.out / "resource").glob("*.png")))
    print(f"{len(notes)} notes, {figures} figures in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
