/* Sphinx 8.2 says "Search finished, found one page …" with a message its zh_CN catalogue does
   not have yet (it has the older wording), so the Chinese site said it in English. */
if (typeof Documentation !== "undefined" && Documentation.LOCALE.startsWith("zh")) {
  Object.assign(Documentation.TRANSLATIONS, {
    "Search finished, found one page matching the search query.": [
      "搜索完成，匹配到 ${resultCount} 页。",
    ],
  });
}
