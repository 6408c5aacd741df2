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
