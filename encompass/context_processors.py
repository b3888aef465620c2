def service(request):
    return {"service_name": "Encompass"}
