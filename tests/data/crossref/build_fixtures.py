"""Writes works.json (the stand-in server's Crossref records) from the compact tables below.

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



# The held-out world (tests/data/crossref/heldout.jsonl): works on other fields (physics, psychology,
# cardiology, oncology, ecology, economics), a book, a book chapter and conference papers, written
# before the matcher was run on the held-out citations. Served from the same works.json as the table
# above, so the old world's decoys can come back for new queries and the new decoys for old ones.
# Hard decoys: same authors' other papers of the same year (Novoselov 2005, Abbott 2016, Ridker 2017,
# He 2016), a comment and a reply repeating a title, a retraction notice and a correction notice,
# near-identical short titles (Cancer statistics, 2019 / 2020; Working Memory twice), the same book in
# two editions. A citation's own-authors work is left out of the world when the citation credits
# another work's title to them, so that "misattributed" is never confused with "wrong title".
WORKS_HELDOUT = [
    # physics
    ("10.1126/science.1102896", "K. S. Novoselov; A. K. Geim; S. V. Morozov; D. Jiang; Y. Zhang; S. V. Dubonos; "
     "I. V. Grigorieva; A. A. Firsov", 2004, "Electric Field Effect in Atomically Thin Carbon Films", "Science",
     "Science", "306", "5696", "666-669", "", {}),
    ("10.1038/nature04233", "K. S. Novoselov; A. K. Geim; S. V. Morozov; D. Jiang; M. I. Katsnelson; I. V. Grigorieva; "
     "S. V. Dubonos; A. A. Firsov", 2005, "Two-dimensional gas of massless Dirac fermions in graphene", "Nature",
     "Nature", "438", "7065", "197-200", "", {}),
    ("10.1038/nature04235", "Yuanbo Zhang; Yan-Wen Tan; Horst L. Stormer; Philip Kim", 2005,
     "Experimental observation of the quantum Hall effect and Berry's phase in graphene", "Nature", "Nature", "438",
     "7065", "201-204", "", {}),
    ("10.1073/pnas.0502848102", "K. S. Novoselov; D. Jiang; F. Schedin; T. J. Booth; V. V. Khotkevich; S. V. Morozov; "
     "A. K. Geim", 2005, "Two-dimensional atomic crystals", "Proceedings of the National Academy of Sciences",
     "Proc. Natl. Acad. Sci. U.S.A.", "102", "30", "10451-10453", "", {}),
    ("10.1038/nmat1849", "A. K. Geim; K. S. Novoselov", 2007, "The rise of graphene", "Nature Materials", "Nature Mater",
     "6", "3", "183-191", "", {}),
    ("10.1103/physrevlett.116.061102", "B. P. Abbott; R. Abbott; T. D. Abbott; M. R. Abernathy", 2016,
     "Observation of Gravitational Waves from a Binary Black Hole Merger", "Physical Review Letters", "Phys. Rev. Lett.",
     "116", "6", "", "061102", {}),
    ("10.1103/physrevlett.116.241103", "B. P. Abbott; R. Abbott; T. D. Abbott; M. R. Abernathy", 2016,
     "GW151226: Observation of Gravitational Waves from a 22-Solar-Mass Binary Black Hole Coalescence",
     "Physical Review Letters", "Phys. Rev. Lett.", "116", "24", "", "241103", {}),
    ("10.1126/science.aad6320", "Johannes Roßnagel; Samuel T. Dawkins; Karl N. Tolazzi; Obinna Abah; Eric Lutz; "
     "Ferdinand Schmidt-Kaler; Kilian Singer", 2016, "A single-atom heat engine", "Science", "Science", "352", "6283",
     "325-329", "", {}),
    # psychology
    ("10.1126/science.aac4716", "Open Science Collaboration", 2015, "Estimating the reproducibility of psychological science",
     "Science", "Science", "349", "6251", "aac4716", "", {}),
    ("10.1126/science.aad7243", "Daniel T. Gilbert; Gary King; Stephen Pettigrew; Timothy D. Wilson", 2016,
     "Comment on “Estimating the reproducibility of psychological science”", "Science", "Science", "351", "6277", "1037",
     "", {}),
    ("10.1126/science.aad9163", "Christopher J. Anderson; Štěpán Bahník; Michael Barnett-Cowan", 2016,
     "Response to Comment on “Estimating the reproducibility of psychological science”", "Science", "Science", "351",
     "6277", "1037", "", {}),
    ("10.1037/0022-3514.74.5.1252", "Roy F. Baumeister; Ellen Bratslavsky; Mark Muraven; Dianne M. Tice", 1998,
     "Ego depletion: Is the active self a limited resource?", "Journal of Personality and Social Psychology",
     "Journal of Personality and Social Psychology", "74", "5", "1252-1265", "", {}),
    ("10.1177/1745691616652873", "M. S. Hagger; N. L. D. Chatzisarantis; H. Alberts", 2016,
     "A Multilab Preregistered Replication of the Ego-Depletion Effect", "Perspectives on Psychological Science",
     "Perspect Psychol Sci", "11", "4", "546-573", "", {}),
    ("10.1016/s0079-7421(08)60452-1", "Alan D. Baddeley; Graham Hitch", 1974, "Working Memory",
     "Psychology of Learning and Motivation", "", "8", "", "47-89", "",
     {"type": "book-chapter", "publisher": "Elsevier"}),
    ("10.1126/science.1736359", "Alan Baddeley", 1992, "Working Memory", "Science", "Science", "255", "5044", "556-559",
     "", {}),
    ("10.1038/nrn1201", "Alan Baddeley", 2003, "Working memory: looking back and looking forward",
     "Nature Reviews Neuroscience", "Nat Rev Neurosci", "4", "10", "829-839", "", {}),
    # cardiology
    ("10.1016/s0140-6736(04)17018-9", "Salim Yusuf; Steven Hawken; Stephanie Ôunpuu; Tony Dans", 2004,
     "Effect of potentially modifiable risk factors associated with myocardial infarction in 52 countries "
     "(the INTERHEART study): case-control study", "The Lancet", "The Lancet", "364", "9438", "937-952", "", {}),
    ("10.1056/nejmoa1707914", "Paul M. Ridker; Brendan M. Everett; Tom Thuren; Jean G. MacFadyen", 2017,
     "Antiinflammatory Therapy with Canakinumab for Atherosclerotic Disease", "New England Journal of Medicine",
     "N Engl J Med", "377", "12", "1119-1131", "", {}),
    ("10.1016/s0140-6736(17)32247-x", "Paul M Ridker; Jean G MacFadyen; Tom Thuren; Brendan M Everett", 2017,
     "Effect of interleukin-1β inhibition with canakinumab on incident lung cancer in patients with atherosclerosis: "
     "exploratory results from a randomised, double-blind, placebo-controlled trial", "The Lancet", "The Lancet", "390",
     "10105", "1833-1842", "", {}),
    # oncology
    ("10.1016/j.cell.2011.02.013", "Douglas Hanahan; Robert A. Weinberg", 2011, "Hallmarks of Cancer: The Next Generation",
     "Cell", "Cell", "144", "5", "646-674", "", {}),
    ("10.1016/s0092-8674(00)81683-9", "Douglas Hanahan; Robert A Weinberg", 2000, "The Hallmarks of Cancer", "Cell", "Cell",
     "100", "1", "57-70", "", {}),
    ("10.3322/caac.21551", "Rebecca L. Siegel; Kimberly D. Miller; Ahmedin Jemal", 2019, "Cancer statistics, 2019",
     "CA: A Cancer Journal for Clinicians", "CA A Cancer J Clin", "69", "1", "7-34", "", {}),
    ("10.3322/caac.21590", "Rebecca L. Siegel; Kimberly D. Miller; Ahmedin Jemal", 2020, "Cancer statistics, 2020",
     "CA: A Cancer Journal for Clinicians", "CA A Cancer J Clin", "70", "1", "7-30", "", {}),
    ("10.1016/j.fct.2012.08.005", "Gilles-Eric Séralini; Emilie Clair; Robin Mesnage; Steeve Gress", 2012,
     "Long term toxicity of a Roundup herbicide and a Roundup-tolerant genetically modified maize",
     "Food and Chemical Toxicology", "Food and Chemical Toxicology", "50", "11", "4221-4231", "",
     {"updated-by": [{"type": "retraction", "DOI": "10.1016/j.fct.2013.11.047", "label": "Retraction"}]}),
    ("10.1016/j.fct.2013.11.047", "A. Wallace Hayes", 2014,
     "Retraction notice to “Long term toxicity of a Roundup herbicide and a Roundup-tolerant genetically modified maize” "
     "[Food Chem. Toxicol. 50 (2012) 4221–4231]", "Food and Chemical Toxicology", "Food and Chemical Toxicology", "63",
     "", "244", "", {"update-to": [{"type": "retraction", "DOI": "10.1016/j.fct.2012.08.005", "label": "Retraction"}]}),
    # ecology
    ("10.1073/pnas.1704949114", "Gerardo Ceballos; Paul R. Ehrlich; Rodolfo Dirzo", 2017,
     "Biological annihilation via the ongoing sixth mass extinction signaled by vertebrate population losses and declines",
     "Proceedings of the National Academy of Sciences", "Proc. Natl. Acad. Sci. U.S.A.", "114", "30", "E6089-E6096", "",
     {"updated-by": [{"type": "correction", "DOI": "10.1073/pnas.1711842114", "label": "Correction"}]}),
    ("10.1073/pnas.1711842114", "", 2017,
     "Correction for Ceballos et al., Biological annihilation via the ongoing sixth mass extinction signaled by "
     "vertebrate population losses and declines", "Proceedings of the National Academy of Sciences",
     "Proc. Natl. Acad. Sci. U.S.A.", "114", "33", "E6967", "",
     {"update-to": [{"type": "correction", "DOI": "10.1073/pnas.1704949114", "label": "Correction"}]}),
    ("10.1038/35002501", "Norman Myers; Russell A. Mittermeier; Cristina G. Mittermeier; Gustavo A. B. da Fonseca; "
     "Jennifer Kent", 2000, "Biodiversity hotspots for conservation priorities", "Nature", "Nature", "403", "6772",
     "853-858", "", {}),
    ("10.1126/science.1060391", "David Tilman; Peter B. Reich; Johannes Knops; David Wedin; Troy Mielke; Clarence Lehman",
     2001, "Diversity and Productivity in a Long-Term Grassland Experiment", "Science", "Science", "294", "5543",
     "843-845", "", {}),
    ("10.1126/science.1062226", "Ottar N. Bjørnstad; Bryan T. Grenfell", 2001,
     "Noisy Clockwork: Time Series Analysis of Population Fluctuations in Animals", "Science", "Science", "293", "5530",
     "638-643", "", {}),
    # economics
    ("10.2307/1914185", "Daniel Kahneman; Amos Tversky", 1979, "Prospect Theory: An Analysis of Decision under Risk",
     "Econometrica", "Econometrica", "47", "2", "263-291", "", {}),
    ("10.1126/science.185.4157.1124", "Amos Tversky; Daniel Kahneman", 1974,
     "Judgment under Uncertainty: Heuristics and Biases", "Science", "Science", "185", "4157", "1124-1131", "", {}),
    ("10.1126/science.7455683", "Amos Tversky; Daniel Kahneman", 1981,
     "The Framing of Decisions and the Psychology of Choice", "Science", "Science", "211", "4481", "453-458", "", {}),
    ("10.1257/aer.100.2.573", "Carmen M Reinhart; Kenneth S Rogoff", 2010, "Growth in a Time of Debt",
     "American Economic Review", "American Economic Review", "100", "2", "573-578", "", {}),
    # a book in two editions (Crossref keeps the subtitle apart and the series as container)
    ("10.1007/978-0-387-84858-7", "Trevor Hastie; Robert Tibshirani; Jerome Friedman", 2009,
     "The Elements of Statistical Learning", "Springer Series in Statistics", "", "", "", "", "",
     {"type": "book", "subtitle": ["Data Mining, Inference, and Prediction"], "publisher": "Springer New York"}),
    ("10.1007/978-0-387-21606-5", "Trevor Hastie; Robert Tibshirani; Jerome Friedman", 2001,
     "The Elements of Statistical Learning", "Springer Series in Statistics", "", "", "", "", "",
     {"type": "book", "subtitle": ["Data Mining, Inference, and Prediction"], "publisher": "Springer New York"}),
    # conference papers (proceedings-article; an LNCS chapter lists the series first, then the book)
    ("10.1109/cvpr.2016.90", "Kaiming He; Xiangyu Zhang; Shaoqing Ren; Jian Sun", 2016,
     "Deep Residual Learning for Image Recognition", "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
     "", "", "", "770-778", "", {"type": "proceedings-article", "publisher": "IEEE"}),
    ("10.1007/978-3-319-46493-0_38", "Kaiming He; Xiangyu Zhang; Shaoqing Ren; Jian Sun", 2016,
     "Identity Mappings in Deep Residual Networks", "Lecture Notes in Computer Science", "", "9908", "", "630-645", "",
     {"type": "book-chapter", "publisher": "Springer International Publishing",
      "container-title": ["Lecture Notes in Computer Science", "Computer Vision – ECCV 2016"]}),
    ("10.1109/iccv.2015.123", "Kaiming He; Xiangyu Zhang; Shaoqing Ren; Jian Sun", 2015,
     "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification",
     "2015 IEEE International Conference on Computer Vision (ICCV)", "", "", "", "1026-1034", "",
     {"type": "proceedings-article", "publisher": "IEEE"}),
]

ORGANISATIONS = ("Open Science Collaboration",)


def item(doi, authors, year, title, container, short, volume, issue, page, article_number, extra):
    people = []
    for name in filter(None, authors.split("; ")):
        parts = name.split(" ")
        if name.startswith("The ") or name in ORGANISATIONS:
            people.append({"name": name, "sequence": "first" if not people else "additional"})
            continue
        particles = {"van", "von", "de", "der", "da"}
        split = next((i for i, p in enumerate(parts[:-1]) if p.lower() in particles), len(parts) - 1)
        people.append({"given": " ".join(parts[:split]), "family": " ".join(parts[split:]),
                       "sequence": "first" if not people else "additional"})
    record = {
        "DOI": doi, "type": "journal-article", "title": [title], "author": people, "container-title": [container],
        "short-container-title": [short] if short else [], "issued": {"date-parts": [[year]]}, "volume": volume,
        "subject": ["Endocrinology, Diabetes and Metabolism"],
    }
    if not people:
        del record["author"]
    if not volume:
        del record["volume"]
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
    out.write_text(json.dumps([item(*w) for w in WORKS + WORKS_HELDOUT], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(WORKS) + len(WORKS_HELDOUT)} works to {out}")
