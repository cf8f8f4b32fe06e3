"""Flattened-table cues of the second issue-17 session, each on a dev table written here (not taken
from a labelled set): parallel names, row labels alike in length, particles and prepositions in
names, two amounts in one cell."""
from __future__ import annotations

from pipeline.ingest.cell_shapes import mixed
from pipeline.ingest.flattened_tables import rebuild_cell_per_line, rebuild_row_per_line


def test_a_word_standing_twice_opens_parallel_names():
    cells = ["Aspirin", "Pain, fever", "Stomach bleeding", "Loratadine", "Hay fever, hives", "Drowsiness, rarely",
             "Codeine", "Moderate pain", "Constipation"]
    table, used = rebuild_cell_per_line("Medicine Can Relieve Can Cause", cells)
    assert table.headers == ("Medicine", "Can Relieve", "Can Cause") and used == 9
    table = rebuild_row_per_line("Measure Well Rested Poorly Rested", ["Morning HRV 68 ms 41 ms",
                                                                     "Resting Pulse 52 bpm 61 bpm"])
    assert table.headers == ("Measure", "Well Rested", "Poorly Rested")


def test_row_labels_alike_in_length_settle_the_period():
    cells = ["Type A", "Everyone", "Type A only", "Type B", "Type B, Type AB", "Types B and O",
             "Type AB", "Type AB only", "Everyone"]
    table, _ = rebuild_cell_per_line("Group Can Give To Can Receive From", cells)
    assert [row[0] for row in table.rows] == ["Type A", "Type B", "Type AB"]


def test_a_particle_ends_a_name_and_a_preposition_does_not():
    table = rebuild_row_per_line("Tea Brewed Minutes Before Bed Sleep Delay",
                                 ["Black Tea 10 About 20 minutes", "Green Tea 5 About 10 minutes"])
    assert table.headers == ("Tea Brewed", "Minutes Before Bed", "Sleep Delay")
    table, _ = rebuild_cell_per_line("Rash Looks Like First Step",
                                     ["Hives", "Raised red welts", "Antihistamine", "Eczema", "Dry, scaly patches",
                                      "Moisturise"])
    assert table.headers == ("Rash", "Looks Like", "First Step")


def test_two_amounts_in_one_cell_and_a_led_in_amount():
    assert mixed("12 weeks About 10 minutes")
    assert not mixed("About 10 minutes") and not mixed("Normal on 5 days")


def test_two_amounts_side_by_side_are_two_cells():
    assert mixed("5.4 cm 14 g") and mixed("6:30–7:00 10:28–11:15") and not mixed("1–3 weeks")
    table = rebuild_row_per_line("Walk Pace per Km Pace per Mile Feel",
                                 ["Stroll 11:00 17:42 Easy chat", "Brisk 9:00 14:29 Slightly puffed"])
    assert table.rows[0] == ("Stroll", "11:00", "17:42", "Easy chat")


def test_cells_made_alike_settle_a_cell_per_line_period():
    cells = ["Oak", "March–April", "April", "Birch", "April–May", "May", "Ragweed", "August–October",
             "September"]
    table, _ = rebuild_cell_per_line("Tree Type Main Months Peak", cells)
    assert table.headers == ("Tree Type", "Main Months", "Peak") and len(table.rows) == 3
