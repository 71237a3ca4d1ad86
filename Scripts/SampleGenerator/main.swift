print("rvusamples")
