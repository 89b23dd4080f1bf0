/*
 * splitQuery for Chinese, the twin of build_tools/sphinx_ext/search.py.
 *
 * searchtools.js keeps a page only if it holds every term of the query, and compares terms
 * whole (no substring match below three characters). So a query is cut exactly the way the
 * index was: each run of Han characters into overlapping pairs (a lone character stays whole),
 * everything else into words as Sphinx's default splitter does.
 *
 *   "注意力权重"      -> ["注意", "意力", "力权", "权重"]
 *   "SFT 的微调"      -> ["SFT", "的微", "微调"]
 *   "fine-tuning"    -> ["fine", "tuning"]
 *
 * The Han ranges must stay those of HAN in search.py.
 */
var splitQuery = (() => {
  const hanRun = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+)/u;
  const hanOnly = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+$/u;
  // The separator of Sphinx's default splitQuery (searchtools.js).
  const nonWord = /[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu;

  const hanPairs = (run) => {
    // Code points, not UTF-16 units, so that a rare character (U+20000 and up) stays whole.
    const chars = Array.from(run);
    if (chars.length === 1) return chars;
    return chars.slice(1).map((char, i) => chars[i] + char);
  };

  return (query) =>
    query
      .split(nonWord)
      // The capturing group keeps the Han runs among the pieces of a word like "SFT就是".
      .flatMap((word) => word.split(hanRun))
      .filter((piece) => piece)
      .flatMap((piece) => (hanOnly.test(piece) ? hanPairs(piece) : [piece]));
})();
