"""Writes works.json (the stand-in server's Crossref records) from the compact table below.

The records form a small invented "world" in the real Crossref JSON shape: works the
labelled references cite correctly, works they cite with wrong fields, and hard decoys
(same authors' other papers, corrections and errata repeating a title, generic short
titles, a title credited to other authors, a retracted paper). Run it after editing the
table: `python tests/data/crossref/build_fixtures.py`.
"""
import json
from pathlib import Path

# doi, authors ("Given Family; ..."), year, title, container, short container, volume, issue, page, article-number,
# extra (dict merged into the item)
WORKS = [
    ("10.1038/nature05482", "Steven E. Kahn; Rebecca L. Hull; Kristina M. Utzschneider", 2006,
     "Mechanisms linking obesity to insulin resistance and type 2 diabetes", "Nature", "Nature", "444", "7121", "840-846", "", {}),
    ("10.1172/jci10583", "Gerald I. Shulman", 2000, "Cellular mechanisms of insulin resistance",
     "Journal of Clinical Investigation", "J. Clin. Invest.", "106", "2", "171-176", "", {}),
    ("10.1038/414799a", "Alan R. Saltiel; C. Ronald Kahn", 2001,
     "Insulin signalling and the regulation of glucose and lipid homeostasis", "Nature", "Nature", "414", "6865", "799-806", "", {}),
    ("10.1038/35107151", "Alan R. Saltiel; C. Ronald Kahn", 2001,
     "Erratum: Insulin signalling and the regulation of glucose and lipid homeostasis", "Nature", "Nature", "414", "6866", "937", "", {}),
    ("10.1016/j.amjmed.2006.01.009", "Kitt Falk Petersen; Gerald I. Shulman", 2006, "Etiology of Insulin Resistance",
     "The American Journal of Medicine", "The American Journal of Medicine", "119", "5", "S10-S16", "", {}),
    ("10.2337/diacare.14.3.173", "R. A. DeFronzo; E. Ferrannini", 1991,
     "Insulin Resistance: A Multifaceted Syndrome Responsible for NIDDM, Obesity, Hypertension, Dyslipidemia, and Atherosclerotic Cardiovascular Disease",
     "Diabetes Care", "Diabetes Care", "14", "3", "173-194", "", {}),
    ("10.1056/nejm200105033441801", "Jaakko Tuomilehto; Jaana Lindström; Johan G. Eriksson; Timo T. Valle", 2001,
     "Prevention of Type 2 Diabetes Mellitus by Changes in Lifestyle among Subjects with Impaired Glucose Tolerance",
     "New England Journal of Medicine", "N Engl J Med", "344", "18", "1343-1350", "", {}),
    ("10.1016/j.freeradbiomed.2010.12.006", "Justin L. Rains; Sushil K. Jain", 2011, "Oxidative stress, insulin signaling, and diabetes",
     "Free Radical Biology and Medicine", "Free Radical Biology and Medicine", "50", "5", "567-575", "", {}),
    ("10.2337/diabetes.49.5.677", "D. E. Kelley; L. J. Mandarino", 2000,
     "Fuel selection in human skeletal muscle in insulin resistance: a reexamination", "Diabetes", "Diabetes", "49", "5", "677-683", "", {}),
    ("10.1016/s0140-6736(03)12345-6", "M. Stumvoll; B. J. Goldstein; T. W. van Haeften", 2005,
     "Type 2 diabetes: principles of pathogenesis and therapy", "The Lancet", "The Lancet", "365", "9467", "1333-1346", "", {}),
    ("10.3390/ijms24098401", "Xiaoyu Zhao; Xiaoying An; Chenyu Yang", 2023,
     "Advances in Insulin Resistance: Molecular Mechanisms, Therapeutic Targets, and Future Directions",
     "International Journal of Molecular Sciences", "IJMS", "24", "9", "", "8401", {}),
    ("10.1038/nrendo.2012.49", "Bente K. Pedersen; Mark A. Febbraio", 2012,
     "Muscles, exercise and obesity: skeletal muscle as a secretory organ", "Nature Reviews Endocrinology", "Nat Rev Endocrinol",
     "8", "8", "457-465", "", {}),
    ("10.1101/cshperspect.a029793", "Christoph Hoffmann; Cora Weigert", 2017,
     "Skeletal Muscle as an Endocrine Organ: The Role of Myokines in Exercise Adaptations",
     "Cold Spring Harbor Perspectives in Medicine", "Cold Spring Harb Perspect Med", "7", "11", "", "a029793", {}),
    ("10.1161/circresaha.121.319999", "Lykke Sylow; Erik A. Richter", 2022,
     "Unraveling Skeletal Muscle Insulin Resistance: Molecular Mechanisms and the Restorative Role of Exercise",
     "Circulation Research", "Circ Res", "130", "2", "239-253", "", {}),
    ("10.2337/db06-s002", "Kitt Falk Petersen; Gerald I. Shulman", 2006,
     "Molecular Mechanisms of Insulin Resistance in Humans and Their Potential Links With Mitochondrial Dysfunction",
     "Diabetes", "Diabetes", "55", "Supplement_2", "S9-S15", "", {}),
    ("10.4239/wjd.v6.i3.456", "Esther Phielix; Ruth Meex; Patrick Schrauwen", 2015,
     "Effects of exercise training on mitochondrial function in patients with type 2 diabetes", "World Journal of Diabetes",
     "WJD", "6", "3", "456-462", "", {}),
    ("10.1155/2013/320724", "Silja Raschke; Jürgen Eckel", 2013,
     "Adipo-Myokines: Two Sides of the Same Coin—Mediators of Inflammation and Mediators of Exercise",
     "Mediators of Inflammation", "Mediators of Inflammation", "2013", "", "", "320724", {}),
    ("10.3389/fphys.2023.1195300", "Lijun Hou; Qiang Wang; Hao Pan", 2023,
     "Potential molecular mechanism of exercise reversing insulin resistance and improving neurodegenerative diseases",
     "Frontiers in Physiology", "Front. Physiol.", "14", "", "", "1195300", {}),
    ("10.3389/fendo.2024.1369383", "Qiao Song; Yu Zhou; Wei Li", 2024,
     "Exploring molecular mechanisms of exercise on metabolic syndrome: a bibliometric and visualization study using CiteSpace",
     "Frontiers in Endocrinology", "Front. Endocrinol.", "15", "", "", "1369383", {}),
    ("10.47750/jep.2017.21.2.136", "Gustavo C. Simões; Rafael Pereira", 2017,
     "Acute metabolic responses following different resistance exercise protocols", "Journal of Exercise Physiology Online",
     "JEPonline", "21", "2", "136-148", "", {}),
    ("10.1016/s0140-6736(97)11096-0", "A. J. Wakefield; S. H. Murch; A. Anthony", 1998,
     "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children",
     "The Lancet", "The Lancet", "351", "9103", "637-641", "",
     {"updated-by": [{"type": "retraction", "DOI": "10.1016/s0140-6736(10)60175-4", "label": "Retraction"}]}),
    ("10.1016/s0140-6736(10)60175-4", "The Editors of The Lancet", 2010,
     "Retraction—Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children",
     "The Lancet", "The Lancet", "375", "9713", "445", "",
     {"update-to": [{"type": "retraction", "DOI": "10.1016/s0140-6736(97)11096-0", "label": "Retraction"}]}),
    ("10.1016/s0140-6736(15)00149-x", "Stephan Weidinger; Natalija Novak", 2016, "Atopic dermatitis", "The Lancet",
     "The Lancet", "387", "10023", "1109-1122", "", {}),
    ("10.1056/nejmra074081", "Thomas Bieber", 2008, "Atopic Dermatitis", "New England Journal of Medicine", "N Engl J Med",
     "358", "14", "1483-1494", "", {}),
    ("10.1056/nejmoa010492", "Frank B. Hu; JoAnn E. Manson; Meir J. Stampfer", 2001,
     "Diet, Lifestyle, and the Risk of Type 2 Diabetes Mellitus in Women", "New England Journal of Medicine", "N Engl J Med",
     "345", "11", "790-797", "", {}),
    ("10.1146/annurev-psych-010213-115205", "Michael R. Irwin", 2015,
     "Why Sleep Is Important for Health: A Psychoneuroimmunology Perspective", "Annual Review of Psychology",
     "Annu. Rev. Psychol.", "66", "1", "143-172", "", {}),
    ("10.1001/jamainternmed.2013.13018", "Madhav Goyal; Sonal Singh; Erica M. S. Sibinga", 2014,
     "Meditation Programs for Psychological Stress and Well-being", "JAMA Internal Medicine", "JAMA Intern Med", "174", "3",
     "357-368", "", {}),
    ("10.1111/j.1749-6632.2008.04416.x", "Matthew P. Walker", 2009, "The Role of Sleep in Cognition and Emotion",
     "Annals of the New York Academy of Sciences", "Ann N Y Acad Sci", "1156", "1", "168-197", "", {}),
    ("10.1093/sleep/33.5.585", "Francesco P. Cappuccio; Lanfranco D'Elia; Pasquale Strazzullo; Michelle A. Miller", 2010,
     "Sleep Duration and All-Cause Mortality: A Systematic Review and Meta-Analysis of Prospective Studies", "Sleep", "Sleep",
     "33", "5", "585-592", "", {}),
    ("10.1016/s0140-6736(12)61031-9", "I-Min Lee; Eric J Shiroma; Felipe Lobelo", 2012,
     "Effect of physical inactivity on major non-communicable diseases worldwide: an analysis of burden of disease and life expectancy",
     "The Lancet", "The Lancet", "380", "9838", "219-229", "", {}),
    ("10.1016/j.cmet.2012.12.012", "Brendan Egan; Juleen R. Zierath", 2013,
     "Exercise Metabolism and the Molecular Regulation of Skeletal Muscle Adaptation", "Cell Metabolism", "Cell Metab",
     "17", "2", "162-184", "", {}),
    ("10.1016/j.cell.2014.10.029", "John A. Hawley; Mark Hargreaves; Michael J. Joyner; Juleen R. Zierath", 2014,
     "Integrative Biology of Exercise", "Cell", "Cell", "159", "4", "738-749", "", {}),
    ("10.1016/s0140-6736(99)01376-8", "Karine Spiegel; Rachel Leproult; Eve Van Cauter", 1999,
     "Impact of sleep debt on metabolic and endocrine function", "The Lancet", "The Lancet", "354", "9188", "1435-1439", "", {}),
    ("10.1002/cphy.c110025", "Frank W. Booth; Christian K. Roberts; Matthew J. Laye", 2012,
     "Lack of Exercise Is a Major Cause of Chronic Diseases", "Comprehensive Physiology", "Compr Physiol", "2", "2",
     "1143-1211", "", {}),
    ("10.1172/jci118409", "Gerald I. Shulman; Douglas L. Rothman", 1996,
     "Mitochondrial dysfunction in the elderly: possible role in insulin resistance", "Journal of Clinical Investigation",
     "J. Clin. Invest.", "98", "4", "1021-1030", "", {}),
    ("10.1056/nejmra1011035", "Varman T. Samuel; Gerald I. Shulman", 2012,
     "Mechanisms for Insulin Resistance: Common Threads and Missing Links", "Cell", "Cell", "148", "5", "852-871", "", {}),
    ("10.1038/nature21363", "Lykke Sylow; Maximilian Kleinert; Erik A. Richter", 2017,
     "Exercise-stimulated glucose uptake — regulation and implications for glycaemic control",
     "Nature Reviews Endocrinology", "Nat Rev Endocrinol", "13", "3", "133-148", "", {}),
]


def item(doi, authors, year, title, container, short, volume, issue, page, article_number, extra):
    people = []
    for name in authors.split("; "):
        parts = name.split(" ")
        if name.startswith("The "):
            people.append({"name": name, "sequence": "first" if not people else "additional"})
            continue
        particles = {"van", "von", "de", "der"}
        split = next((i for i, p in enumerate(parts[:-1]) if p.lower() in particles), len(parts) - 1)
        people.append({"given": " ".join(parts[:split]), "family": " ".join(parts[split:]),
                       "sequence": "first" if not people else "additional"})
    record = {
        "DOI": doi, "type": "journal-article", "title": [title], "author": people, "container-title": [container],
        "short-container-title": [short], "issued": {"date-parts": [[year]]}, "volume": volume,
        "subject": ["Endocrinology, Diabetes and Metabolism"],
    }
    if issue:
        record["issue"] = issue
    if page:
        record["page"] = page
    if article_number:
        record["article-number"] = article_number
    record.update(extra)
    return record


if __name__ == "__main__":
    out = Path(__file__).with_name("works.json")
    out.write_text(json.dumps([item(*w) for w in WORKS], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(WORKS)} works to {out}")
