"""The built starter site opens in the system Chromium and its pages show content."""


def test_sheet_page_in_chromium(chromium, served_starter_site):
    page = chromium.new_page()
    page.goto(served_starter_site + "themabladen/gedrag-in-vrije-tijd/")
    assert page.locator("h1").inner_text() == "Gedrag in vrije tijd"
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator(".kompas-dilemma a").first.click()
    page.wait_for_url("**/dilemmas/**")
    assert page.locator(".kompas-vraag").inner_text().endswith("?")
    page.close()


def test_dilemma_page_prints_as_one_card(chromium, served_starter_site, tmp_path):
    from pypdf import PdfReader

    page = chromium.new_page()
    page.goto(served_starter_site + "themabladen/gebruik-van-geweld/")
    page.locator(".kompas-dilemma a").first.click()
    page.wait_for_url("**/dilemmas/**")
    card_id = page.locator(".kompas-kaart__id").inner_text().removeprefix("Kaart ")
    title = page.locator("h1").inner_text()
    pdf = tmp_path / "kaart.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2  # the card on A5 (its own page size): front, back (tests/browser/test_sessie.py)
    assert "HULPVRAGEN" in reader.pages[1].extract_text()
    text = reader.pages[0].extract_text()
    assert card_id in text and " ".join(title.split()) in " ".join(text.split())
    assert "Inhoudsopgave" not in text and "Zoeken" not in text and "Themabladen" not in text
