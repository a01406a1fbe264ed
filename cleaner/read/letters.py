"""What text of a language looks like, letter by letter: the data the encoding guess
(:mod:`cleaner.read.guess`) weighs a reading of undeclared bytes against.

- :data:`ALPHABETS`: the letters outside ASCII of each language written in a Latin legacy encoding
  (lower case). A right reading of a page uses one language's letters; a wrong one mixes letters that
  no language uses together ("Pøíští": Czech "Příští" read as windows-1252).
- :data:`COMMON_LETTERS`: the most frequent letters of the scripts written outside ASCII, about half
  of any text's letters; a wrong reading gives their share of a random draw. :data:`RARE_LETTERS`:
  letters that together make a few percent of real text, and far more of some wrong readings (Hebrew
  read as windows-1251 gives "й" for its most frequent letter).
- :data:`COMMON_HAN`: the most frequent characters of Chinese (simplified and traditional) and of
  Japanese, :data:`COMMON_HANGUL` the most frequent syllables of Korean: a right reading of such text
  has many of them, a wrong one (Japanese bytes read as GB18030, "’s" as a Hangul syllable) few.
"""

from __future__ import annotations


def _sets(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {name: frozenset(letters) for name, letters in table.items()}


ALPHABETS = _sets(
    {
        # windows-1252
        "french": "àâæçéèêëîïôœùûüÿ",
        "german": "äöüß",
        "spanish": "áéíñóúü",
        "portuguese": "áâãàçéêíóôõú",
        "italian": "àèéìíîòóùú",
        "dutch": "áéèëïóöü",
        "catalan": "àçéèíïóòúü",
        "danish and norwegian": "æøåéó",
        "swedish and finnish": "åäöé",
        "icelandic": "áðéíóúýþæö",
        # windows-1250
        "polish": "ąćęłńóśźż",
        "czech": "áčďéěíňóřšťúůýž",
        "slovak": "áäčďéíĺľňóôŕšťúýž",
        "hungarian": "áéíóöőúüű",
        "romanian": "ăâîșțşţ",
        "croatian and slovenian": "čćđšž",
        # windows-1254
        "turkish": "çğıöşüâî",
        # windows-1257
        "latvian": "āčēģīķļņšūž",
        "lithuanian": "ąčęėįšųūž",
        "estonian": "äöõüšž",
    }
)

COMMON_LETTERS = _sets(
    {
        "CYRILLIC": "оеаинтсрвлкмдпуі",
        "GREEK": "αοιετσνηυρπκμλάέίόήύώ",
        "HEBREW": "יוהלמארבשתנד",
        "ARABIC": "اليمونهربتعةد",
        "THAI": "านรอกเงมยลวดทสต",
    }
)

RARE_LETTERS = _sets(
    {
        "CYRILLIC": "йъщэфцюжшё",
        "GREEK": "ξψζϊΰϋ",
        "THAI": "ฃฅฆฌฎฏฐฑฒฬฦฤฮ",
    }
)

# Hebrew's final forms, which end a word.
HEBREW_FINAL = frozenset("ךםןףץ")
# Thai vowels written after or above a consonant, tone marks and signs: no word starts with one.
THAI_DEPENDENT = frozenset("ะัาำิีึืฺุู็่้๊๋์ํๆฯ")

# Chinese: the most frequent characters of simplified and of traditional text; Japanese: of newspapers.
_CHINESE = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后"
    "小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长"
    "知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话新者业市问政关区网号电站版权"
    "這來國個說們為會著過學對裡後麼沒於還發當無開見經頭從動兩長樣現將與進實點種聲話業問關區網"
)
_JAPANESE = (
    "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相方四定今回"
    "新場金員九入選立開手米力学問高代明実円関決子動京全目表戦経通外最言氏現理調体化田当八六約主題下首意法"
    "不来作性的要用制治度務強気小七成期公持野協取都和統以機平総加山思家話世受区領多県続進正安設保改数記院"
    "女初北午指権心界支第産結百派点教報済書府活原先共得解名交資予川向際査勢集道海島神森宮城岡阪"
)
COMMON_HAN: dict[str, frozenset[str]] = {"chinese": frozenset(_CHINESE), "japanese": frozenset(_JAPANESE)}
# Korean: the most frequent syllables.
COMMON_HANGUL = frozenset(
    "이다의는에을하가고지서기한로리사자어대도국정수시일아나인보전부게장제해원주우들요적성상있것없그만"
    "했되문세니년관회개경동방위여다습니할를과으와"
)
