print("rvuimport")
